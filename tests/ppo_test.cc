#include "agents/ppo.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>

#include <ATen/CPUGeneratorImpl.h>

#include "agents/action_distribution.h"
#include "agents/advantages.h"
#include "agents/checkpoint_file.h"
#include "agents/evaluate.h"
#include "agents/policy_checkpoint.h"
#include "agents/progress.h"
#include "agents/train.h"
#include "core/seed_streams.h"
#include "envs/builtin_envs.h"
#include "rundir/metrics_log.h"
#include "rundir/run_lock.h"

namespace twinrl {
namespace {

namespace fs = std::filesystem;

fs::path fresh_directory(const std::string& name) {
  const fs::path path = fs::temp_directory_path() / ("twinrl_ppo_test_" + name);
  fs::remove_all(path);
  return path;
}

// Another env with CartPole's spaces and dynamics under another name.
class RenamedModel : public EnvModel {
 public:
  explicit RenamedModel(std::shared_ptr<const EnvModel> base)
      : EnvModel(renamed(base->spec())), base_(std::move(base)) {}

 protected:
  std::unique_ptr<Env> create_env() const override { return base_->make_env(); }

 private:
  static EnvSpec renamed(EnvSpec spec) {
    spec.id += "Twin";
    return spec;
  }
  std::shared_ptr<const EnvModel> base_;
};

Experiment cartpole_ppo(const std::vector<std::string>& overrides = {}) {
  const char* root = std::getenv("TWINRL_SOURCE_DIR");
  return load_experiment(std::string(root ? root : ".") + "/configs/cartpole_ppo.yaml", overrides,
                         builtin_envs());
}

TEST(PpoTest, GeneralizedAdvantagesByHand) {
  // gamma 0.9, lambda 0.8; the episode ends at step 1, so step 2 starts anew.
  // t=2: delta = 1 + 0.9 * 0.2 - 0.3 = 0.88
  // t=1: ended, no bootstrap: delta = 1 - 0.4 = 0.6
  // t=0: delta = 1 + 0.9 * 0.4 - 0.5 = 0.86; A = 0.86 + 0.9 * 0.8 * 0.6 = 1.292
  const Advantages result = generalized_advantages(torch::tensor({1.f, 1.f, 1.f}).reshape({3, 1}),
                                                   torch::tensor({.5f, .4f, .3f}).reshape({3, 1}),
                                                   torch::tensor({0.f, 1.f, 0.f}).reshape({3, 1}),
                                                   torch::tensor({.2f}), 0.9, 0.8);
  EXPECT_NEAR(result.advantages[0][0].item<float>(), 1.292, 1e-6);
  EXPECT_NEAR(result.advantages[1][0].item<float>(), 0.6, 1e-6);
  EXPECT_NEAR(result.advantages[2][0].item<float>(), 0.88, 1e-6);
  EXPECT_NEAR(result.returns[0][0].item<float>(), 1.792, 1e-6);
  EXPECT_NEAR(result.returns[2][0].item<float>(), 1.18, 1e-6);
}

TEST(PpoTest, SolvesCartPoleWithin100kSteps) {
  const fs::path run_dir = fresh_directory("learn");
  const TrainSummary summary = train(cartpole_ppo(), {.run_dir = run_dir, .progress = false});
  const auto rows = read_metrics_csv(run_dir / "metrics.csv");
  int64_t first_solved = -1;
  for (const auto& row : rows) {
    if (row.contains("episode_return") && row.at("episode_return") >= 475) {
      first_solved = static_cast<int64_t>(row.at("step"));
      break;
    }
  }
  ASSERT_GT(first_solved, 0) << "mean return never reached 475; final " << summary.recent_return;
  EXPECT_LE(first_solved, 100000);
  EXPECT_GE(summary.recent_return, 475);
  EXPECT_TRUE(fs::exists(run_dir / "checkpoints" / "best.pt"));
  EXPECT_TRUE(fs::exists(run_dir / "config.yaml"));
  EXPECT_FALSE(fs::is_empty(run_dir / "tb"));
  fs::remove_all(run_dir);
}

TEST(PpoTest, ARunShorterThanAnEpisodeStillWritesItsBestPolicy) {
  const fs::path run_dir = fresh_directory("no_episode");
  // 4 steps of 2 envs: a CartPole episode lasts longer, whatever the actions.
  const TrainSummary summary =
      train(cartpole_ppo({"env.num_envs=2", "agent.ppo.rollout_steps=4", "agent.ppo.minibatches=1",
                          "agent.total_steps=8"}),
            {.run_dir = run_dir, .progress = false});
  ASSERT_EQ(summary.episodes, 0) << "an episode ended: the test needs none to";
  const auto contents = [](const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  ASSERT_TRUE(fs::exists(run_dir / "checkpoints" / "best.pt"));
  EXPECT_EQ(contents(run_dir / "checkpoints" / "best.pt"),
            contents(run_dir / "checkpoints" / "latest.pt"));
  fs::remove_all(run_dir);
}

// Every logged value except the wall-clock speed.
std::vector<std::map<std::string, double>> curve(const fs::path& run_dir) {
  auto rows = read_metrics_csv(run_dir / "metrics.csv");
  for (auto& row : rows) row.erase("steps_per_second");
  return rows;
}

TEST(PpoTest, ResumeContinuesTheSameCurve) {
  const Experiment experiment =
      cartpole_ppo({"agent.total_steps=3072", "agent.checkpoint_every=1024"});
  const fs::path whole = fresh_directory("whole"), parts = fresh_directory("parts");
  train(experiment, {.run_dir = whole, .progress = false});
  // Stop after two checkpoints and one more update, as a kill would, then resume.
  train(experiment, {.run_dir = parts, .stop_after_steps = 2304, .progress = false});
  EXPECT_EQ(curve(parts).size(), 9u);
  train(experiment, {.run_dir = parts, .resume = true, .progress = false});
  const auto expected = curve(whole), resumed = curve(parts);
  ASSERT_EQ(expected.size(), 12u);
  EXPECT_EQ(resumed, expected);
  EXPECT_THROW(train(experiment, {.run_dir = parts, .progress = false}), std::runtime_error);
  fs::remove_all(whole);
  fs::remove_all(parts);
}

// The validation returns logged at checkpoints (agent.evaluate_episodes).
std::vector<double> validation_returns(const fs::path& run_dir) {
  std::vector<double> returns;
  for (const auto& row : read_metrics_csv(run_dir / "metrics.csv"))
    if (row.contains("eval/return")) returns.push_back(row.at("eval/return"));
  return returns;
}

TEST(PpoTest, ValidationChoosesTheBestCheckpointAndAResumedRunChoosesTheSame) {
  const Experiment experiment = cartpole_ppo(
      {"agent.total_steps=3072", "agent.checkpoint_every=512", "agent.evaluate_episodes=4"});
  const fs::path whole = fresh_directory("validated"), parts = fresh_directory("validated_parts");
  train(experiment, {.run_dir = whole, .progress = false});
  const std::vector<double> returns = validation_returns(whole);
  ASSERT_EQ(returns.size(), 6u) << "one validation per checkpoint";
  // best.pt does as well on the validation episodes as the best checkpoint did.
  const auto validation_of = [&](const fs::path& checkpoint) {
    const EvaluationResult result =
        evaluate(experiment, {.name = "trained", .checkpoint = checkpoint}, 4,
                 stream_seed(experiment.run.seed, seed_streams::kValidation));
    return mean_and_std(result.returns).first;
  };
  EXPECT_EQ(validation_of(whole / "checkpoints" / "best.pt"), std::ranges::max(returns));
  EXPECT_EQ(validation_of(whole / "checkpoints" / "latest.pt"), returns.back());

  train(experiment, {.run_dir = parts, .stop_after_steps = 2048, .progress = false});
  train(experiment, {.run_dir = parts, .resume = true, .progress = false});
  EXPECT_EQ(validation_returns(parts), returns);
  EXPECT_EQ(curve(parts), curve(whole));
  EXPECT_EQ(validation_of(parts / "checkpoints" / "best.pt"), std::ranges::max(returns));
  fs::remove_all(whole);
  fs::remove_all(parts);
}

void write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

TEST(PpoTest, ARunStoppedBeforeItsFirstCheckpointStartsOverCleanly) {
  const Experiment experiment =
      cartpole_ppo({"agent.total_steps=1024", "agent.checkpoint_every=100000"});
  const fs::path whole = fresh_directory("first_whole"), killed = fresh_directory("first_killed");
  train(experiment, {.run_dir = whole, .progress = false});
  const auto expected = curve(whole);
  // A kill before the first checkpoint leaves the config and the metrics logged so far.
  for (const bool resume : {false, true}) {
    SCOPED_TRACE(resume ? "resume" : "train again");
    train(experiment, {.run_dir = killed, .progress = false});
    fs::remove_all(killed / "checkpoints");
    train(experiment, {.run_dir = killed, .resume = resume, .progress = false});
    EXPECT_EQ(curve(killed), expected) << "steps logged twice, or another curve";
    fs::remove_all(killed);
  }
  fs::remove_all(whole);
}

TEST(PpoTest, ASecondWriterOfARunDirectoryFailsAtOnce) {
  const Experiment experiment = cartpole_ppo({"agent.total_steps=512"});
  const fs::path run_dir = fresh_directory("locked");
  {
    const RunLock other_process(RunDir{run_dir});
    try {
      train(experiment, {.run_dir = run_dir, .progress = false});
      FAIL() << "two writers of one run directory";
    } catch (const std::runtime_error& error) {
      EXPECT_NE(std::string(error.what()).find("is in use by another twinrl process (pid "),
                std::string::npos)
          << error.what();
    }
    EXPECT_FALSE(fs::exists(run_dir / "metrics.csv"));
  }
  // A checkpoint write killed midway left its temporary file.
  fs::create_directories(run_dir / "checkpoints");
  const fs::path stale = run_dir / "checkpoints" / ".latest.pt.tmp.4242.0";
  write_bytes(stale, "half a checkpoint");
  train(experiment, {.run_dir = run_dir, .progress = false});  // the lock went with its holder
  EXPECT_TRUE(fs::exists(run_dir / "checkpoints" / "latest.pt"));
  EXPECT_FALSE(fs::exists(stale));
  fs::remove_all(run_dir);
}

std::string bytes_of(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), {}};
}

std::string checkpoint_error(const std::function<void()>& load) {
  try {
    load();
  } catch (const CheckpointError& error) {
    return error.what();
  }
  return "loaded";
}

TEST(PpoTest, DamagedCheckpointsAreErrorsThatNameTheFile) {
  const Experiment experiment = cartpole_ppo({"agent.total_steps=512"});
  const fs::path run_dir = fresh_directory("damaged");
  train(experiment, {.run_dir = run_dir, .progress = false});
  const fs::path latest = run_dir / "checkpoints" / "latest.pt";
  const std::string good = bytes_of(latest);
  const std::string where = "checkpoint " + latest.string() + ": ";
  const auto load_policy = [&] { load_policy_module(experiment, latest); };
  const auto resume = [&] {
    train(experiment, {.run_dir = run_dir, .resume = true, .progress = false});
  };
  EXPECT_EQ(checkpoint_error(load_policy), "loaded");

  std::string flipped = good;
  flipped[flipped.size() / 2] ^= 0x10;  // a byte of the weights
  write_bytes(latest, flipped);
  EXPECT_EQ(checkpoint_error(load_policy),
            where + "damaged: its checksum does not match its contents");
  EXPECT_EQ(checkpoint_error(resume), where + "damaged: its checksum does not match its contents");

  write_bytes(latest, good.substr(0, good.size() - 100));
  EXPECT_NE(checkpoint_error(load_policy).find(where + "truncated or padded"), std::string::npos);
  write_bytes(latest, "");
  EXPECT_EQ(checkpoint_error(load_policy),
            where + "not a twinrl checkpoint (no 'twinrl-checkpoint' header)");
  write_bytes(latest, "twinrl-checkpoint\nnonsense\n");
  EXPECT_EQ(checkpoint_error(load_policy), where + "damaged header");
  fs::remove(latest);
  fs::create_directory(latest);
  EXPECT_EQ(checkpoint_error(load_policy), where + "not a file");
  fs::remove(latest);
  EXPECT_EQ(checkpoint_error(load_policy), where + "not found");

  // A config edited since (another network size) does not fit the weights.
  write_bytes(latest, good);
  Experiment edited = cartpole_ppo({"agent.total_steps=512", "agent.ppo.network.hidden=[32]"});
  const std::string mismatch = checkpoint_error([&] { load_policy_module(edited, latest); });
  EXPECT_NE(mismatch.find(where + "does not fit this run's config.yaml ("), std::string::npos)
      << mismatch;
  EXPECT_EQ(mismatch.find('\n'), std::string::npos) << "no backtrace: " << mismatch;

  // A config edited to another env whose observations and actions have the
  // same shapes fits every tensor: the checkpoint's origin tells them apart.
  Experiment renamed = experiment;
  renamed.env_model = std::make_shared<RenamedModel>(experiment.env_model);
  const std::string other_env = where +
                                "does not fit this run's config.yaml (it was trained with ppo on "
                                "CartPole, the config asks for ppo on CartPoleTwin)";
  EXPECT_EQ(checkpoint_error([&] { load_policy_module(renamed, latest); }), other_env);
  EXPECT_EQ(checkpoint_error(
                [&] { train(renamed, {.run_dir = run_dir, .resume = true, .progress = false}); }),
            other_env);
  fs::remove_all(run_dir);
}

TEST(PpoTest, ANonFiniteLossStopsTheRunAndKeepsTheLastCheckpoint) {
  Experiment experiment = cartpole_ppo({"agent.total_steps=4096", "agent.checkpoint_every=512"});
  const fs::path run_dir = fresh_directory("nan");
  train(experiment, {.run_dir = run_dir, .stop_after_steps = 512, .progress = false});
  const std::string checkpoint = bytes_of(run_dir / "checkpoints" / "latest.pt");
  experiment.agent.ppo.learning_rate = 1e30;  // blows the weights up within one update
  experiment.agent.ppo.anneal_learning_rate = false;
  try {
    train(experiment, {.run_dir = run_dir, .resume = true, .progress = false});
    FAIL() << "training went on with non-finite losses";
  } catch (const NonFiniteError& error) {
    EXPECT_NE(std::string(error.what()).find("PPO loss became"), std::string::npos);
  }
  EXPECT_EQ(bytes_of(run_dir / "checkpoints" / "latest.pt"), checkpoint);
  fs::remove_all(run_dir);
}

}  // namespace
}  // namespace twinrl

namespace twinrl {
namespace {

TEST(ActionDistributionTest, GaussianLogProbAndEntropyByHand) {
  const ActionDistribution gaussian(Space::box(2, -1.0f, 1.0f));
  const torch::Tensor mean = torch::tensor({{0.5f, -1.0f}});
  const torch::Tensor log_std = torch::tensor({0.0f, std::log(2.0f)});
  // log N(1 | 0.5, 1) + log N(0 | -1, 2) = (-0.125 - c) + (-0.125 - log 2 - c), c = log sqrt(2 pi)
  const double c = 0.5 * std::log(2 * M_PI);
  EXPECT_NEAR(gaussian.log_prob(mean, log_std, {}, torch::tensor({{1.0f, 0.0f}})).item<float>(),
              -0.25 - std::log(2.0) - 2 * c, 1e-5);
  EXPECT_NEAR(gaussian.entropy(mean, log_std, {}).item<float>(), 2 * (0.5 + c) + std::log(2.0),
              1e-5);
  EXPECT_TRUE(torch::equal(gaussian.mode(mean, {}), mean));
}

TEST(ActionDistributionTest, MultiDiscreteSumsItsDimensionsAndHonoursMasks) {
  const ActionDistribution multi(Space::multi_discrete({2, 3}));
  EXPECT_EQ(multi.actor_outputs(), 5);
  const torch::Tensor logits = torch::zeros({1, 5});
  // Uniform: log(1/2) + log(1/3); masking one of the three choices makes it log(1/2).
  EXPECT_NEAR(multi.log_prob(logits, {}, {}, torch::tensor({{1L, 2L}})).item<float>(),
              std::log(1.0 / 6), 1e-5);
  const torch::Tensor mask = torch::tensor({{true, true, true, false, true}});
  EXPECT_NEAR(multi.log_prob(logits, {}, mask, torch::tensor({{1L, 2L}})).item<float>(),
              std::log(1.0 / 4), 1e-5);
  EXPECT_NEAR(multi.entropy(logits, {}, mask).item<float>(), 2 * std::log(2.0), 1e-5);
  at::Generator generator = at::detail::createCPUGenerator(3);
  const torch::Tensor samples =
      multi.sample(logits.expand({2000, 5}), {}, mask.expand({2000, 5}), generator);
  EXPECT_FALSE(torch::any(samples.select(1, 1) == 1).item<bool>());  // the masked choice
  EXPECT_TRUE(torch::any(samples.select(1, 1) == 2).item<bool>());
}

TEST(ProgressLineTest, FormatsStepsSpeedReturnAndTimeLeft) {
  EXPECT_EQ(ProgressLine::format(40960, 100000, 5120, 312.44),
            "40,960/100,000 steps | 5,120 steps/s | return 312.4 | 12 s left");
  EXPECT_EQ(ProgressLine::format(0, 1000, 0, std::nan("")), "0/1,000 steps | 0 steps/s | return -");
}

}  // namespace
}  // namespace twinrl

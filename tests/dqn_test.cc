// DQN: n-step replay, the Q network's heads, action masks, learning CartPole,
// and resuming a run.
#include <ATen/CPUGeneratorImpl.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <numeric>
#include <sstream>

#include "agents/dqn.h"
#include "agents/evaluate.h"
#include "agents/experiment.h"
#include "agents/train.h"
#include "envs/builtin_envs.h"
#include "rundir/metrics_log.h"
#include "tests/counting_env.h"

namespace twinrl {
namespace {

// One env step of a hand-written batch, rows of one-number observations.
struct Step {
  std::vector<float> observation, final_observation, reward;
  std::vector<bool> terminated, truncated;
};

TorchBatch batch_of(const Step& step) {
  const auto rows = static_cast<int64_t>(step.reward.size());
  auto flags = [rows](const std::vector<bool>& values) {
    torch::Tensor tensor = torch::zeros({rows}, torch::kBool);
    for (int64_t row = 0; row < rows; ++row) tensor[row] = static_cast<bool>(values[row]);
    return tensor;
  };
  TorchBatch batch;
  batch.observation = torch::tensor(step.observation).reshape({rows, 1});
  batch.final_observation = torch::tensor(step.final_observation).reshape({rows, 1});
  batch.reward = torch::tensor(step.reward);
  batch.terminated = flags(step.terminated);
  batch.truncated = flags(step.truncated);
  return batch;
}

void add(ReplayBuffer& buffer, const std::vector<float>& observation,
         const std::vector<int64_t>& action, const Step& next) {
  const auto rows = static_cast<int64_t>(observation.size());
  buffer.add(torch::tensor(observation).reshape({rows, 1}),
             torch::tensor(action).reshape({rows, 1}), batch_of(next));
}

// What a buffer stores, read back from its checkpoint.
torch::serialize::InputArchive saved(const ReplayBuffer& buffer) {
  torch::serialize::OutputArchive out;
  buffer.save(out);
  std::stringstream bytes;
  out.save_to(bytes);
  torch::serialize::InputArchive in;
  in.load_from(bytes);
  return in;
}

torch::Tensor stored(const ReplayBuffer& buffer, const std::string& key) {
  torch::Tensor value;
  saved(buffer).read(key, value);
  return value;
}

std::vector<float> floats(const torch::Tensor& tensor) {
  const torch::Tensor values = tensor.to(torch::kFloat32).contiguous().reshape({-1});
  return {values.data_ptr<float>(), values.data_ptr<float>() + values.numel()};
}

// Row 0 runs on; row 1's episode ends at its second step, terminated or
// truncated. Observations count the steps: 10 + t in row 0, 20 + t in row 1,
// the final observation of row 1 is 99 and its new episode starts at 50.
ReplayBuffer three_step_buffer(bool terminated) {
  const float gamma = 0.5;
  ReplayBuffer buffer(16, 2, 1, 0, 3, gamma);
  add(buffer, {10, 20}, {0, 1}, {{11, 21}, {0, 0}, {1, 10}, {false, false}, {false, false}});
  add(buffer, {11, 21}, {1, 0},
      {{12, 50}, {0, 99}, {2, 20}, {false, terminated}, {false, !terminated}});
  add(buffer, {12, 50}, {0, 1}, {{13, 51}, {0, 0}, {4, 40}, {false, false}, {false, false}});
  add(buffer, {13, 51}, {1, 1}, {{14, 52}, {0, 0}, {8, 80}, {false, false}, {false, false}});
  return buffer;
}

TEST(ReplayBufferTest, StoresNStepReturnsAndFlushesAtEpisodeEnds) {
  for (const bool terminated : {true, false}) {
    SCOPED_TRACE(terminated ? "terminated" : "truncated");
    const ReplayBuffer buffer = three_step_buffer(terminated);
    ASSERT_EQ(buffer.size(), 4);
    // In order of storage: row 1's episode end flushes both its steps (the
    // first with two rewards, 10 + 0.5 * 20, the second with one); row 0
    // stores its first step after three rewards, 1 + 0.5 * 2 + 0.25 * 4, and
    // its second after the next three; row 1's new episode has two steps
    // queued, short of three.
    EXPECT_EQ(floats(stored(buffer, "observations")), (std::vector<float>{20, 21, 10, 11}));
    EXPECT_EQ(floats(stored(buffer, "actions")), (std::vector<float>{1, 0, 0, 1}));
    EXPECT_EQ(floats(stored(buffer, "rewards")), (std::vector<float>{20, 20, 3, 6}));
    EXPECT_EQ(floats(stored(buffer, "next_observations")), (std::vector<float>{99, 99, 13, 14}));
    EXPECT_EQ(floats(stored(buffer, "discounts")), (std::vector<float>{0.25, 0.5, 0.125, 0.125}));
    EXPECT_EQ(floats(stored(buffer, "terminated")),
              (std::vector<float>{float(terminated), float(terminated), 0, 0}));
    EXPECT_EQ(floats(stored(buffer, "pending_count")), (std::vector<float>{2, 2}));
  }
}

TEST(ReplayBufferTest, ALoadedBufferContinuesAsTheSavedOne) {
  ReplayBuffer original = three_step_buffer(true);
  ReplayBuffer loaded(16, 2, 1, 0, 3, 0.5);
  torch::serialize::InputArchive archive = saved(original);
  loaded.load(archive);
  for (ReplayBuffer* buffer : {&original, &loaded})
    add(*buffer, {14, 52}, {0, 0}, {{15, 53}, {0, 0}, {16, 160}, {false, false}, {false, false}});
  ASSERT_EQ(loaded.size(), original.size());
  for (const char* key : {"observations", "actions", "rewards", "next_observations", "discounts",
                          "terminated", "pending_first", "pending_count"})
    EXPECT_EQ(floats(stored(loaded, key)), floats(stored(original, key))) << key;
}

TEST(ReplayBufferTest, OverwritesTheOldestTransitionsWhenFull) {
  ReplayBuffer buffer(2, 1, 1, 0, 1, 0.9);
  for (float t = 0; t < 3; ++t) add(buffer, {t}, {0}, {{t + 1}, {0}, {t}, {false}, {false}});
  EXPECT_EQ(buffer.size(), 2);
  EXPECT_EQ(floats(stored(buffer, "observations")), (std::vector<float>{2, 1}));
}

EnvSpec discrete_spec(int64_t actions, bool masked) {
  EnvSpec spec;
  spec.id = "Test";
  spec.observation_space = Space::box(3, -1, 1);
  spec.action_space = Space::discrete(actions);
  spec.has_action_mask = masked;
  return spec;
}

TEST(QNetworkTest, DuelingHeadsAddValueToCentredAdvantages) {
  torch::manual_seed(3);
  DqnConfig config;
  config.dueling = true;
  config.hidden = {16, 8};
  QNetwork network(discrete_spec(4, false), config);
  auto child = [&](const std::string& name) {
    return std::dynamic_pointer_cast<torch::nn::SequentialImpl>(network->named_children()[name]);
  };
  const torch::Tensor observations = torch::randn({5, 3});
  const torch::Tensor features = child("torso")->forward(observations);
  const torch::Tensor value = child("value_head")->forward(features);
  const torch::Tensor advantages = child("head")->forward(features);
  const torch::Tensor expected = value + advantages - advantages.mean(1, true);
  EXPECT_TRUE(torch::allclose(network->forward(observations), expected));
}

TEST(QNetworkTest, RefusesActionSpacesOtherThanDiscrete) {
  EnvSpec spec = discrete_spec(2, false);
  spec.action_space = Space::box(2, -1, 1);
  EXPECT_THROW(QNetwork(spec, DqnConfig{}), std::invalid_argument);
  spec.action_space = Space::multi_discrete({2, 3});
  EXPECT_THROW(QNetwork(spec, DqnConfig{}), std::invalid_argument);
}

TEST(ActionMaskTest, ExplorationAndGreedyActionsAvoidMaskedActions) {
  at::Generator generator = at::detail::createCPUGenerator(7);
  // Action 2 has the highest value but is masked in every row; action 0 in odd rows.
  const torch::Tensor q_values = torch::tensor({1.0f, 2.0f, 9.0f, 0.0f}).repeat({1000, 1});
  torch::Tensor mask = torch::ones({1000, 4}, torch::kBool);
  mask.select(1, 2).fill_(false);
  mask.slice(0, 1, 1000, 2).select(1, 0).fill_(false);
  auto choose = [&](const torch::Tensor& masks, double epsilon) {
    const torch::Tensor uniforms = at::rand({1000, 2}, generator);
    const torch::Tensor actions = torch::zeros({1000, 1}, torch::kInt64);
    epsilon_greedy(q_values.data_ptr<float>(), masks.defined() ? masks.data_ptr<bool>() : nullptr,
                   1000, 4, epsilon, uniforms.data_ptr<float>(), actions.data_ptr<int64_t>());
    return actions;
  };
  for (const double epsilon : {0.0, 0.5, 1.0}) {
    const torch::Tensor actions = choose(mask, epsilon);
    EXPECT_TRUE(mask.gather(1, actions).all().item<bool>()) << "epsilon " << epsilon;
    if (epsilon == 1.0) {  // every allowed action is explored
      for (int64_t action : {0, 1, 3}) EXPECT_TRUE((actions == action).any().item<bool>());
    }
  }
  EXPECT_TRUE((choose(mask, 0.0) == 1).all().item<bool>());
  EXPECT_TRUE((choose({}, 0.0) == 2).all().item<bool>());
  // Exploration is uniform over the allowed actions: about a third each.
  const torch::Tensor explored = choose(mask.slice(0, 0, 1000, 2).repeat({2, 1}), 1.0);
  for (int64_t action : {0, 1, 3})
    EXPECT_NEAR((explored == action).sum().item<int64_t>(), 333, 60) << "action " << action;

  QNetwork network(discrete_spec(4, true), DqnConfig{});
  const torch::Tensor observations = torch::randn({1000, 3});
  const torch::Tensor best = network->forward(observations).argmax(1, true);
  const torch::Tensor forbid_best = torch::ones({1000, 4}, torch::kBool).scatter(1, best, false);
  const torch::Tensor actions = network->act(observations, forbid_best);
  EXPECT_TRUE(forbid_best.gather(1, actions).all().item<bool>());
}

TEST(ActionMaskTest, TargetsBootstrapFromTheBestAllowedAction) {
  torch::manual_seed(5);
  QNetwork online(discrete_spec(3, true), DqnConfig{});
  QNetwork target(discrete_spec(3, true), DqnConfig{});
  QNetworkKernel online_kernel(online), target_kernel(target);
  WorkerPool pool(2);
  const int64_t rows = 200;
  ReplaySample sample{.observations = torch::randn({rows, 3}),
                      .actions = torch::zeros({rows, 1}, torch::kInt64),
                      .rewards = torch::full({rows}, 1.0f),
                      .next_observations = torch::randn({rows, 3}),
                      .terminated = torch::zeros({rows}, torch::kBool),
                      .discounts = torch::full({rows}, 0.5f),
                      .next_masks = torch::ones({rows, 3}, torch::kBool)};
  sample.terminated.slice(0, 0, 10).fill_(true);
  torch::NoGradGuard no_grad;
  // Forbid each row's best action under the network that chooses.
  const torch::Tensor next_target_q = target->forward(sample.next_observations);
  for (const bool double_q : {false, true}) {
    SCOPED_TRACE(double_q ? "double Q" : "max over the target");
    const torch::Tensor chooser_q =
        double_q ? online->forward(sample.next_observations) : next_target_q;
    sample.next_masks =
        torch::ones({rows, 3}, torch::kBool).scatter(1, chooser_q.argmax(1, true), false);
    const torch::Tensor chosen =
        chooser_q.masked_fill(sample.next_masks.logical_not(), -1e9).argmax(1, true);
    const torch::Tensor expected =
        1 + 0.5 * next_target_q.gather(1, chosen).squeeze(1).masked_fill(sample.terminated, 0);
    for (WorkerPool* threads : {static_cast<WorkerPool*>(nullptr), &pool}) {
      torch::Tensor targets = torch::zeros({rows});
      dqn_targets(online_kernel, target_kernel, sample, double_q, threads,
                  targets.data_ptr<float>());
      EXPECT_TRUE(torch::allclose(targets, expected, 1e-5, 1e-5));
    }
  }
}

std::filesystem::path fresh_directory(const std::string& name) {
  const auto path = std::filesystem::temp_directory_path() / ("twinrl_dqn_test_" + name);
  std::filesystem::remove_all(path);
  return path;
}

Experiment cartpole_dqn(const std::vector<std::string>& overrides) {
  const char* root = std::getenv("TWINRL_SOURCE_DIR");
  return load_experiment(std::string(root ? root : ".") + "/configs/cartpole_dqn.yaml", overrides,
                         builtin_envs());
}

TEST(DqnLearningTest, SolvesCartPoleWithin100kSteps) {
  const Experiment experiment = cartpole_dqn({});
  ASSERT_EQ(experiment.agent.total_steps, 100000);
  const auto run_dir = fresh_directory("learning");
  const TrainSummary summary = train(experiment, {.run_dir = run_dir, .progress = false});
  int64_t first_solved = -1;
  for (const auto& row : read_metrics_csv(run_dir / "metrics.csv")) {
    if (row.contains("episode_return") && row.at("episode_return") >= 475) {
      first_solved = static_cast<int64_t>(row.at("step"));
      break;
    }
  }
  ASSERT_GT(first_solved, 0) << "mean return never reached 475; final " << summary.recent_return;
  EXPECT_GE(summary.recent_return, 475);
  // The greedy policy of the last checkpoint, on episodes training never saw.
  const EvaluationResult evaluation =
      evaluate(experiment, {.checkpoint = run_dir / "checkpoints" / "latest.pt"}, 20, 12345);
  EXPECT_GE(std::accumulate(evaluation.returns.begin(), evaluation.returns.end(), 0.0) / 20, 475);
  std::filesystem::remove_all(run_dir);
}

// The counting env, failing loudly when an action its mask forbade is taken.
class MaskCheckingEnv : public testing::CountingEnv {
 public:
  explicit MaskCheckingEnv(const testing::CountingModel& model)
      : CountingEnv(model), agents_(model.params().num_agents) {}

  void reset_episode(const EnvOutput& out) override {
    CountingEnv::reset_episode(out);
    allowed_.assign(out.action_mask, out.action_mask + agents_ * 5);
  }
  StepStatus step(const ActionRef& action, const EnvOutput& out) override {
    for (int agent = 0; agent < agents_; ++agent)
      if (!allowed_[agent * 5 + action.discrete[agent]])
        throw std::logic_error("agent " + std::to_string(agent) + " took a masked action");
    const StepStatus status = CountingEnv::step(action, out);
    allowed_.assign(out.action_mask, out.action_mask + agents_ * 5);
    return status;
  }

 private:
  int agents_;
  std::vector<bool> allowed_;
};

class MaskCheckingModel : public testing::CountingModel {
 public:
  using CountingModel::CountingModel;
  std::unique_ptr<Env> create_env() const override {
    return std::make_unique<MaskCheckingEnv>(*this);
  }
};

TEST(DqnTrainingTest, TrainsEveryAgentOfAMaskedMultiAgentEnv) {
  Experiment experiment = cartpole_dqn({"agent.total_steps=2000", "agent.dqn.learning_starts=200",
                                        "agent.dqn.batch_size=32", "agent.dqn.dueling=true",
                                        "agent.dqn.normalize_observations=true"});
  experiment.env_model = std::make_shared<MaskCheckingModel>(
      testing::CountingParams{.num_agents = 2, .terminate_after = 6});
  const auto run_dir = fresh_directory("masked");
  const TrainSummary summary = train(experiment, {.run_dir = run_dir, .progress = false});
  EXPECT_GT(summary.episodes, 0);
  EXPECT_TRUE(read_metrics_csv(run_dir / "metrics.csv").back().contains("loss/td"));
  const EvaluationResult evaluation =
      evaluate(experiment, {.checkpoint = run_dir / "checkpoints" / "latest.pt"}, 4, 1);
  EXPECT_EQ(evaluation.returns.size(), 4u);
  std::filesystem::remove_all(run_dir);
}

// Every logged value except the wall-clock speed.
std::vector<std::map<std::string, double>> curve(const std::filesystem::path& run_dir) {
  auto rows = read_metrics_csv(run_dir / "metrics.csv");
  for (auto& row : rows) row.erase("steps_per_second");
  return rows;
}

TEST(DqnResumeTest, AResumedRunLogsTheUninterruptedCurve) {
  // The checkpoint at 4200 falls between rows of metrics (every 500 steps)
  // and, with 3-step returns, while steps are queued: both must carry over.
  const Experiment experiment =
      cartpole_dqn({"agent.total_steps=6000", "agent.checkpoint_every=1400",
                    "agent.dqn.learning_starts=500", "agent.dqn.n_step=3"});
  const auto whole = fresh_directory("whole");
  const auto resumed = fresh_directory("resumed");
  train(experiment, {.run_dir = whole, .progress = false});
  train(experiment, {.run_dir = resumed, .stop_after_steps = 4200, .progress = false});
  EXPECT_EQ(curve(resumed).size(), 8u);
  train(experiment, {.run_dir = resumed, .resume = true, .progress = false});
  const auto expected = curve(whole);
  ASSERT_EQ(expected.size(), 12u);
  EXPECT_EQ(curve(resumed), expected);
  std::filesystem::remove_all(whole);
  std::filesystem::remove_all(resumed);
}

TEST(DqnTrainingTest, ANonFiniteLossStopsTheRun) {
  const auto run_dir = fresh_directory("nan");
  Experiment experiment = cartpole_dqn({"agent.total_steps=4000", "agent.dqn.learning_starts=500"});
  experiment.agent.dqn.learning_rate = 1e30;  // blows the weights up at once
  try {
    train(experiment, {.run_dir = run_dir, .progress = false});
    FAIL() << "training went on with non-finite losses";
  } catch (const NonFiniteError& error) {
    EXPECT_NE(std::string(error.what()).find("DQN loss became"), std::string::npos);
  }
  std::filesystem::remove_all(run_dir);
}

}  // namespace
}  // namespace twinrl

// PPO's warm start from a baseline (agents/warm_start.h): that it carries the
// baseline's behaviour into PPO, resumes like any run, and refuses what
// cannot work with located errors.
#include "agents/warm_start.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "agents/train.h"
#include "config/config_node.h"
#include "envs/builtin_envs.h"
#include "rundir/metrics_log.h"
#include "tests/command_line.h"
#include "tests/temp_dir_test.h"

namespace twinrl {
namespace {

namespace fs = std::filesystem;

class WarmStartTest : public test_support::TempDirTest {};

// The shipped Lander PPO config, on one learner thread, with overrides.
Experiment lander_ppo(std::vector<std::string> overrides) {
  overrides.insert(overrides.begin(), "agent.torch_threads=1");
  return load_experiment(test_support::source_path("configs/lander_ppo.yaml"), overrides,
                         builtin_envs());
}

TEST_F(WarmStartTest, PpoStartsFlyingLikeTheLandersController) {
  // 50k steps of the PD controller's flights, then one PPO update (16 x 1024
  // steps). From scratch, PPO's first episodes crash (about -170).
  const std::vector<std::string> budget = {"agent.total_steps=66384",
                                           "agent.checkpoint_every=1000000"};
  std::vector<std::string> warm = budget;
  warm.insert(warm.end(),
              {"agent.ppo.warm_start.baseline=pd_controller", "agent.ppo.warm_start.steps=50000"});
  const fs::path warm_dir = dir_ / "warm", cold_dir = dir_ / "cold";
  const TrainSummary warmed = train(lander_ppo(warm), {.run_dir = warm_dir, .progress = false});
  const TrainSummary cold = train(lander_ppo(budget), {.run_dir = cold_dir, .progress = false});
  EXPECT_GT(warmed.recent_return, 100) << "the controller itself scores about 260";
  EXPECT_LT(cold.recent_return, 0);

  const auto rows = read_metrics_csv(warm_dir / "metrics.csv");
  ASSERT_GE(rows.size(), 2u);
  EXPECT_EQ(rows[0].at("step"), 50000) << "the demonstrations count towards the budget";
  EXPECT_GT(rows[0].at("warm_start/mean_return"), 200);
  EXPECT_LT(rows[0].at("warm_start/negative_log_likelihood"),
            rows[0].at("warm_start/negative_log_likelihood_first_epoch"));
  EXPECT_EQ(rows.back().at("step"), 66384);
}

TEST_F(WarmStartTest, AResumedRunDoesNotDemonstrateAgain) {
  const Experiment experiment = lander_ppo(
      {"agent.ppo.warm_start.baseline=pd_controller", "agent.ppo.warm_start.steps=4096",
       "agent.ppo.warm_start.epochs=2", "agent.ppo.rollout_steps=64", "agent.ppo.minibatches=4",
       "agent.total_steps=7168", "agent.checkpoint_every=1024"});
  const fs::path whole = dir_ / "whole", parts = dir_ / "parts";
  train(experiment, {.run_dir = whole, .progress = false});
  train(experiment, {.run_dir = parts, .stop_after_steps = 6144, .progress = false});
  train(experiment, {.run_dir = parts, .resume = true, .progress = false});
  auto curve = [](const fs::path& run_dir) {
    auto rows = read_metrics_csv(run_dir / "metrics.csv");
    // Without the wall-clock speed, and without the NaNs of rows before the
    // first episode (NaN equals nothing, itself included).
    for (auto& row : rows) {
      row.erase("steps_per_second");
      std::erase_if(row, [](const auto& entry) { return std::isnan(entry.second); });
    }
    return rows;
  };
  const auto expected = curve(whole);
  ASSERT_EQ(expected.size(), 4u);  // the warm start's row and three updates
  EXPECT_EQ(curve(parts), expected);
}

std::string config_error(const std::vector<std::string>& overrides) {
  try {
    lander_ppo(overrides);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "no error";
}

TEST_F(WarmStartTest, ABaselineTheEnvLacksOrABudgetItFillsIsALocatedError) {
  EXPECT_EQ(config_error({"agent.ppo.warm_start.baseline=greedy"}),
            "--set agent.ppo.warm_start.baseline=greedy: agent.ppo.warm_start.baseline: no "
            "baseline 'greedy' for Lander with these params; choose one of: pd_controller");
  EXPECT_EQ(config_error({"agent.ppo.warm_start.baseline=pd_controller",
                          "agent.ppo.warm_start.steps=1000000"}),
            "--set agent.ppo.warm_start.steps=1000000: agent.ppo.warm_start.steps: leaves PPO "
            "no steps of agent.total_steps (1000000)");
  // 16 envs take 999,999 steps as 1,000,000.
  EXPECT_EQ(config_error({"agent.ppo.warm_start.baseline=pd_controller",
                          "agent.ppo.warm_start.steps=999999"}),
            "--set agent.ppo.warm_start.steps=999999: agent.ppo.warm_start.steps: rounded up to "
            "whole steps of the envs, 1000000, leaves PPO no steps of agent.total_steps "
            "(1000000)");
  // DQN has no warm start: the PPO section's key is not read.
  EXPECT_EQ(config_error({"agent.algorithm=dqn", "agent.ppo.warm_start.baseline=greedy"}),
            "no error");
}

}  // namespace
}  // namespace twinrl

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <numeric>

#include "agents/evaluate.h"
#include "agents/train.h"
#include "envs/builtin_envs.h"

namespace twinrl {
namespace {

namespace fs = std::filesystem;

// The reach task with its benchmark settings (configs/arm_reach_ppo.yaml) on
// a budget of seconds: enough for PPO to bring the grip close to the target.
constexpr const char* kExperiment = R"(name: arm_learning
seed: 1
env:
  id: Arm
  num_envs: 16
  params:
    task: reach
    episode_steps: 50
agent:
  algorithm: ppo
  total_steps: 60000
  checkpoint_every: 60000
  ppo:
    rollout_steps: 128
    learning_rate: 0.0003
    gamma: 0.98
    minibatches: 32
    epochs: 10
    entropy_coef: 0.0
    normalize_rewards: true
)";

float mean(const std::vector<float>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0f) / static_cast<float>(values.size());
}

TEST(ArmLearningTest, PpoBringsTheGripToTheTarget) {
  const fs::path dir = fs::temp_directory_path() / "twinrl_arm_learning_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "experiment.yaml") << kExperiment;
  const Experiment experiment =
      load_experiment((dir / "experiment.yaml").string(), {}, builtin_envs());
  ASSERT_EQ(experiment.env_model->spec().kpi_names[2], "final_distance_m");

  train(experiment, {.run_dir = dir / "run", .progress = false});
  const EvaluationResult trained = evaluate(
      experiment, {.name = "trained", .checkpoint = dir / "run" / "checkpoints" / "latest.pt"}, 32,
      123);
  const EvaluationResult random =
      evaluate(experiment, {.name = "random", .checkpoint = {}}, 32, 123);
  EXPECT_GT(mean(trained.kpis[0]), 0.5) << "success rate";
  EXPECT_LT(mean(trained.kpis[2]), 0.3f * mean(random.kpis[2]))
      << "random actions end " << mean(random.kpis[2]) << " m away";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace twinrl

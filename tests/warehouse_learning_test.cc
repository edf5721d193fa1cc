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

// Two robots on a 5x4 floor with six shelves: small enough for PPO to learn
// the fetch, deliver and return cycle within seconds.
constexpr const char* kExperiment = R"(name: warehouse_learning
seed: 1
env:
  id: Warehouse
  num_envs: 16
  params:
    layout: map
    map: |
      x.x.x
      x.x.x
      .....
      ..g..
    num_robots: 2
    reward: two_stage
    max_episode_steps: 200
agent:
  algorithm: ppo
  total_steps: 200000
  checkpoint_every: 50000
  ppo:
    rollout_steps: 64
    learning_rate: 0.001
    minibatches: 4
    epochs: 4
    network:
      hidden: [64, 64]
)";

float mean_deliveries(const EvaluationResult& result) {
  const std::vector<float>& delivered = result.kpis[0];
  return std::accumulate(delivered.begin(), delivered.end(), 0.0f) /
         static_cast<float>(delivered.size());
}

TEST(WarehouseLearningTest, PpoDeliversMoreThanRandomRobots) {
  const fs::path dir = fs::temp_directory_path() / "twinrl_warehouse_learning_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "experiment.yaml") << kExperiment;
  const Experiment experiment =
      load_experiment((dir / "experiment.yaml").string(), {}, builtin_envs());
  ASSERT_EQ(experiment.env_model->spec().kpi_names[0], "orders_delivered");

  train(experiment, {.run_dir = dir / "run", .progress = false});
  const float trained = mean_deliveries(evaluate(
      experiment, {.name = "trained", .checkpoint = dir / "run" / "checkpoints" / "latest.pt"}, 32,
      123));
  const float random =
      mean_deliveries(evaluate(experiment, {.name = "random", .checkpoint = {}}, 32, 123));
  EXPECT_GT(trained, 5 * random + 1) << "random robots deliver " << random;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace twinrl

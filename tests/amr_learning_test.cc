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

// A 7.5 x 6 m floor with two shelves and no moving obstacles: small enough for
// PPO to learn to drive from pick point to pick point within a minute.
constexpr const char* kExperiment = R"(name: amr_learning
seed: 1
env:
  id: Amr
  num_envs: 16
  params:
    layout: map
    map: |
      .....
      .x.x.
      .....
      ..g..
    num_people: 0
    num_other_robots: 0
    max_episode_steps: 200
agent:
  algorithm: ppo
  total_steps: 150000
  checkpoint_every: 50000
  ppo:
    rollout_steps: 128
    learning_rate: 0.001
    minibatches: 4
    epochs: 10
    entropy_coef: 0.0
    normalize_rewards: true
    network:
      hidden: [64, 64]
      initial_log_std: -0.5
)";

float mean_picks(const EvaluationResult& result) {
  const std::vector<float>& picks = result.kpis[0];
  return std::accumulate(picks.begin(), picks.end(), 0.0f) / static_cast<float>(picks.size());
}

TEST(AmrLearningTest, PpoPicksMoreThanARandomRobot) {
  const fs::path dir = fs::temp_directory_path() / "twinrl_amr_learning_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "experiment.yaml") << kExperiment;
  const Experiment experiment =
      load_experiment((dir / "experiment.yaml").string(), {}, builtin_envs());
  ASSERT_EQ(experiment.env_model->spec().kpi_names[0], "picks");

  train(experiment, {.run_dir = dir / "run", .progress = false});
  const float trained = mean_picks(evaluate(
      experiment, {.name = "trained", .checkpoint = dir / "run" / "checkpoints" / "latest.pt"}, 32,
      123));
  const float random =
      mean_picks(evaluate(experiment, {.name = "random", .checkpoint = {}}, 32, 123));
  // A random robot picks once in about 16 episodes. Trained ones pick 0.7-3.6
  // times per episode across seeds 1-4 and OpenBLAS kernels (bench/RESULTS.md),
  // and 0.41 on an AMD EPYC without AVX-512, where the kernels and OpenBLAS
  // take other code paths: the bar asserts learning, not the best seed or CPU.
  EXPECT_GT(trained, 0.3f) << "a random robot picks " << random;
  EXPECT_GT(trained, 5 * random) << "a random robot picks " << random;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace twinrl

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "agents/train.h"
#include "envs/builtin_envs.h"

namespace twinrl {
namespace {

namespace fs = std::filesystem;

// PPO with shorter rollouts than configs/lander_ppo.yaml, so that it learns to
// fly and slow down within 200k steps (about 20 s).
constexpr const char* kExperiment = R"(name: lander_learning
seed: 1
env:
  id: Lander
  num_envs: 16
agent:
  algorithm: ppo
  total_steps: 200000
  checkpoint_every: 100000
  return_window: 50
  ppo:
    rollout_steps: 256
    learning_rate: 0.0005
    gamma: 0.999
    gae_lambda: 0.98
    minibatches: 16
    epochs: 4
    clip_value_loss: false
)";

TEST(LanderLearningTest, PpoDoesFarBetterThanRandomEngines) {
  const fs::path dir = fs::temp_directory_path() / "twinrl_lander_learning_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "experiment.yaml") << kExperiment;
  const Experiment experiment =
      load_experiment((dir / "experiment.yaml").string(), {}, builtin_envs());
  const TrainSummary summary = train(experiment, {.run_dir = dir / "run", .progress = false});
  // Random engines crash within about 100 steps for a mean return near -175.
  EXPECT_GT(summary.recent_return, -50);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace twinrl

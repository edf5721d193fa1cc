// The example env of envs/README.md: its own header plus one registry line
// give it configs, parameters by name, randomization, checkpoints and PPO.
#include "examples/minimal_env/room_env.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "agents/evaluate.h"
#include "agents/train.h"
#include "core/env_registry.h"
#include "envs/builtin_envs.h"
#include "tests/runner_checks.h"

namespace twinrl::examples {
namespace {

namespace fs = std::filesystem;

EnvRegistry registry_with_room() {
  EnvRegistry registry = builtin_envs();
  registry.add(make_env_entry<RoomParams, RoomModel>("Room", "Heat a room to a set point"));
  return registry;
}

// Per process: ctest runs this file's tests side by side, and each clears its folder.
fs::path test_dir() {
  return fs::temp_directory_path() / ("twinrl_minimal_env_test_" + std::to_string(::getpid()));
}

fs::path write_config(const std::string& text) {
  const fs::path dir = test_dir();
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "room.yaml") << text;
  return dir / "room.yaml";
}

constexpr const char* kConfig = R"(seed: 1
env:
  id: Room
  num_envs: 8
  params: {outside_c: 0}
  randomize: {outside_c: [-5, 10], loss_per_step: [0.04, 0.06]}
agent:
  algorithm: ppo
  total_steps: 40000
  ppo: {rollout_steps: 64, learning_rate: 0.003, gamma: 0.9}
)";

TEST(MinimalEnvTest, ConfigErrorsNameTheKey) {
  const EnvRegistry registry = registry_with_room();
  try {
    load_experiment(write_config("env:\n  id: Room\n  params: {outside: 3}\n").string(), {},
                    registry);
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("did you mean 'outside_c'?"), std::string::npos)
        << error.what();
  }
}

TEST(MinimalEnvTest, TheFrameworkRandomizesAndCheckpointsIt) {
  const EnvRegistry registry = registry_with_room();
  const Experiment experiment = load_experiment(write_config(kConfig).string(), {}, registry);
  const EnvModel& model = *experiment.env_model;
  EXPECT_EQ(model.parameters().value("outside_c"), 0);
  EXPECT_EQ(model.randomization().ranges().size(), 2u);
  EXPECT_GE(test_support::expect_save_load_continues_identically(experiment.env_model, 3, 150, 300,
                                                                 test_support::random_actions(2)),
            3);
  const auto colder = model.with_parameters({{"outside_c", -20}});
  EXPECT_EQ(colder->parameters().value("outside_c"), -20);
}

TEST(MinimalEnvTest, PpoLearnsToHoldTheSetPoint) {
  const EnvRegistry registry = registry_with_room();
  const Experiment experiment = load_experiment(write_config(kConfig).string(), {}, registry);
  const fs::path run_dir = test_dir() / "run";
  train(experiment, {.run_dir = run_dir, .progress = false});
  const auto mean_error = [&](const std::string& policy) {
    const EvaluationResult result = evaluate(
        experiment, {.name = policy, .checkpoint = run_dir / "checkpoints" / "latest.pt"}, 16, 99);
    double sum = 0;
    for (float error : result.kpis[0]) sum += error;
    return sum / static_cast<double>(result.kpis[0].size());
  };
  const double trained = mean_error("trained"), random = mean_error("random");
  RecordProperty("trained_error", std::to_string(trained));
  RecordProperty("random_error", std::to_string(random));
  EXPECT_LT(trained, 1.5) << "random policy: " << random;
  EXPECT_LT(trained, random / 3) << "random policy: " << random;
}

}  // namespace
}  // namespace twinrl::examples

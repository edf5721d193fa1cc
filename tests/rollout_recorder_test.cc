// The recorder under the threaded runner (part of core_tests, which the
// ThreadSanitizer build runs): episode-end hooks come from worker threads.
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "envs/classic/cartpole.h"
#include "rundir/rollout_recorder.h"
#include "tests/runner_checks.h"

namespace twinrl::viewer {
namespace {

// The first episodes of four CartPoles with random actions, as a JSON text.
std::string recording(int threads) {
  const auto model = std::make_shared<const CartPoleModel>(CartPoleParams{});
  VecEnv envs(model, {.num_envs = 6, .threads = threads, .seed = 5});
  RolloutRecorder recorder(make_rollout_header(model->spec(), "", "random", -1, 5), 4);
  envs.reset();
  recorder.start(envs);
  const auto choose = test_support::random_actions(5);
  for (int64_t step = 0; !recorder.finished(); ++step) {
    const ActionRef actions = choose(envs, step);
    envs.step(actions);
    recorder.record_step(envs, actions);
  }
  nlohmann::json text = nlohmann::json::array();
  for (const RolloutEpisode& episode : recorder.rollout().episodes) {
    EXPECT_TRUE(episode.steps.back().terminated || episode.steps.back().truncated);
    for (const RolloutStep& step : episode.steps)
      text.push_back({step.observation, step.action, step.reward, step.state, step.kpis});
  }
  return text.dump();
}

TEST(RolloutRecorderTest, RecordingsDoNotDependOnTheNumberOfThreads) {
  const std::string one = recording(1);
  EXPECT_EQ(one, recording(3));
  EXPECT_NE(one.find("cart_position_m"), std::string::npos) << "CartPole's render state";
}

}  // namespace
}  // namespace twinrl::viewer

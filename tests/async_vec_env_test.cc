// The asynchronous runner: each env comes back exactly once per send, batches
// are whole, and every env's trajectory equals the synchronous runner's.
#include "core/async_vec_env.h"

#include <gtest/gtest.h>

#include <set>

#include "core/vec_env.h"
#include "envs/classic/cartpole.h"
#include "tests/counting_env.h"

namespace twinrl {
namespace {

using testing::CountingModel;
using testing::CountingParams;

TEST(AsyncVecEnvTest, EachEnvComesBackExactlyOncePerSend) {
  for (const int threads : {1, 2, 3}) {
    AsyncVecEnv vec_env(std::make_shared<CountingModel>(CountingParams{.terminate_after = 7}),
                        {.num_envs = 10, .batch_size = 4, .threads = threads, .seed = 3});
    vec_env.reset();
    std::vector<int> sends(10, 1), receipts(10, 0);  // reset counts as the first send
    std::set<int> outstanding = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    for (int round = 0; round < 500; ++round) {
      const BatchView& batch = vec_env.recv();
      ASSERT_EQ(batch.num_envs, 4);
      std::vector<int32_t> ids(batch.env_id, batch.env_id + 4);
      for (int i = 0; i < 4; ++i) {
        const int32_t env = ids[i];
        ASSERT_TRUE(outstanding.erase(env)) << "env " << env << " received twice";
        ++receipts[env];
        // The env's own step counter matches how often it was sent since its episode began.
        ASSERT_EQ(batch.observation[i * 4 + 1], (sends[env] - 1) % 7);
      }
      const std::vector<int64_t> actions(4, 1);
      vec_env.send({nullptr, actions.data()}, ids);
      for (const int32_t env : ids) {
        ++sends[env];
        outstanding.insert(env);
      }
    }
    for (int env = 0; env < 10; ++env) EXPECT_LE(sends[env] - receipts[env], 1);
  }
}

TEST(AsyncVecEnvTest, StaysConsistentWhenWorkersArePreempted) {
  // More workers than cores: workers get preempted between taking a job and
  // reading it, which once let a later job overwrite an unread one.
  AsyncVecEnv vec_env(std::make_shared<CountingModel>(CountingParams{.terminate_after = 5}),
                      {.num_envs = 4, .batch_size = 2, .threads = 3});
  vec_env.reset();
  const std::vector<int64_t> actions = {1, 1};
  std::vector<int> received(4, 0);
  for (int round = 0; round < 100000; ++round) {
    const BatchView& batch = vec_env.recv();
    ASSERT_NE(batch.env_id[0], batch.env_id[1]) << "round " << round;
    const std::vector<int32_t> ids(batch.env_id, batch.env_id + 2);
    for (const int32_t env : ids) ++received[env];
    vec_env.send({nullptr, actions.data()}, ids);
  }
  // Every env keeps being served: none is lost or duplicated.
  for (int env = 0; env < 4; ++env) EXPECT_GT(received[env], 20000) << "env " << env;
}

TEST(AsyncVecEnvTest, MisuseIsRefusedWithoutCorruptingState) {
  AsyncVecEnv vec_env(std::make_shared<CountingModel>(CountingParams{}),
                      {.num_envs = 4, .batch_size = 2, .threads = 2});
  vec_env.reset();
  const std::vector<int64_t> actions = {0, 0};
  const std::vector<int32_t> in_flight = {0, 1};
  EXPECT_THROW(vec_env.send({nullptr, actions.data()}, in_flight), std::invalid_argument);
  const BatchView& first = vec_env.recv();
  std::vector<int32_t> ids(first.env_id, first.env_id + 2);
  const std::vector<int32_t> twice = {ids[0], ids[0]};
  EXPECT_THROW(vec_env.send({nullptr, actions.data()}, twice), std::invalid_argument);
  const std::vector<int32_t> unknown = {ids[0], 4};
  EXPECT_THROW(vec_env.send({nullptr, actions.data()}, unknown), std::invalid_argument);
  vec_env.recv();
  EXPECT_THROW(vec_env.recv(), std::logic_error);  // nothing left in flight
  vec_env.send({nullptr, actions.data()}, ids);    // the refused sends changed nothing
  EXPECT_EQ(vec_env.recv().num_envs, 2);
  EXPECT_THROW(AsyncVecEnv(std::make_shared<CountingModel>(CountingParams{}),
                           {.num_envs = 2, .batch_size = 3}),
               std::invalid_argument);
}

TEST(AsyncVecEnvTest, EnvExceptionsReachRecv) {
  AsyncVecEnv vec_env(std::make_shared<CountingModel>(CountingParams{.throw_at_step = 1}),
                      {.num_envs = 2, .batch_size = 2, .threads = 2});
  vec_env.reset();
  const BatchView& batch = vec_env.recv();
  std::vector<int32_t> ids(batch.env_id, batch.env_id + 2);
  const std::vector<int64_t> actions = {0, 0};
  vec_env.send({nullptr, actions.data()}, ids);
  EXPECT_THROW(vec_env.recv(), std::runtime_error);
}

// The action env `env` takes at its step `step`: the same in both runners.
int64_t scripted_action(int env, int step) {
  return (env * 7 + step * 3 + step / 5) % 2;
}

TEST(AsyncVecEnvTest, TrajectoriesEqualTheSynchronousRunner) {
  const auto model = std::make_shared<CartPoleModel>(CartPoleParams{});
  constexpr int kEnvs = 6, kSteps = 120;

  // Per env, per step: the observation seen after the step.
  std::vector<std::vector<float>> expected(kEnvs);
  VecEnv sync(model, {.num_envs = kEnvs, .threads = 2, .seed = 11});
  sync.reset();
  for (int step = 0; step < kSteps; ++step) {
    std::vector<int64_t> actions(kEnvs);
    for (int env = 0; env < kEnvs; ++env) actions[env] = scripted_action(env, step);
    const BatchView& batch = sync.step({nullptr, actions.data()});
    for (int env = 0; env < kEnvs; ++env)
      expected[env].insert(expected[env].end(), batch.observation + env * 4,
                           batch.observation + env * 4 + 4);
  }

  AsyncVecEnv async(model, {.num_envs = kEnvs, .batch_size = 4, .threads = 2, .seed = 11});
  async.reset();
  std::vector<int> steps_done(kEnvs, -1);  // -1: the reset is still to come back
  std::vector<std::vector<float>> seen(kEnvs);
  while (*std::min_element(steps_done.begin(), steps_done.end()) < kSteps) {
    const BatchView& batch = async.recv();
    std::vector<int32_t> ids;
    std::vector<int64_t> actions;
    for (int i = 0; i < batch.num_envs; ++i) {
      const int env = batch.env_id[i];
      if (steps_done[env] >= 0)
        seen[env].insert(seen[env].end(), batch.observation + i * 4, batch.observation + i * 4 + 4);
      ++steps_done[env];
      ids.push_back(env);
      actions.push_back(scripted_action(env, steps_done[env]));
    }
    async.send({nullptr, actions.data()}, ids);
  }
  for (int env = 0; env < kEnvs; ++env) {
    seen[env].resize(expected[env].size());
    EXPECT_EQ(seen[env], expected[env]) << "env " << env;
  }
}

}  // namespace
}  // namespace twinrl

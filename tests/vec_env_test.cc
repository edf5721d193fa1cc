// Semantics of the synchronous runner on an env whose outputs are predictable.
#include "core/vec_env.h"

#include <gtest/gtest.h>

#include <numeric>

#include "tests/counting_env.h"

namespace twinrl {
namespace {

using testing::CountingModel;
using testing::CountingParams;

std::shared_ptr<const EnvModel> counting(const CountingParams& params) {
  return std::make_shared<CountingModel>(params);
}

float obs(const BatchView& batch, int64_t row, int index) {
  return batch.observation[row * batch.observation_size + index];
}
float final_obs(const BatchView& batch, int64_t row, int index) {
  return batch.final_observation[row * batch.observation_size + index];
}

TEST(VecEnvTest, ResetWritesFirstObservationsAndMasks) {
  VecEnv vec_env(counting({.num_agents = 2}), {.num_envs = 3, .threads = 2});
  const BatchView& batch = vec_env.reset();
  ASSERT_EQ(batch.rows(), 6);
  for (int64_t row = 0; row < 6; ++row) {
    EXPECT_EQ(obs(batch, row, 0), 1);  // episode 1
    EXPECT_EQ(obs(batch, row, 1), 0);  // step 0
    EXPECT_EQ(obs(batch, row, 2), row % 2);
    EXPECT_FALSE(batch.terminated[row]);
    EXPECT_FALSE(batch.truncated[row]);
    EXPECT_TRUE(batch.action_mask[row * 5 + 0]);
    EXPECT_FALSE(batch.action_mask[row * 5 + 1]);
  }
  for (int env = 0; env < 3; ++env) EXPECT_EQ(batch.env_id[env], env);
}

TEST(VecEnvTest, AgentsAreFlattenedEnvMajor) {
  VecEnv vec_env(counting({.num_agents = 3}), {.num_envs = 2});
  vec_env.reset();
  const std::vector<int64_t> actions = {0, 1, 2, 3, 4, 0};
  const BatchView& batch = vec_env.step({nullptr, actions.data()});
  for (int64_t row = 0; row < 6; ++row) {
    // reward = own action + agent index
    EXPECT_EQ(batch.reward[row], actions[row] + row % 3) << "row " << row;
    EXPECT_EQ(obs(batch, row, 2), row % 3);
    EXPECT_EQ(obs(batch, row, 3), actions[row / 3 * 3]);  // agent 0's action of that env
    EXPECT_TRUE(batch.action_mask[row * 5 + 1]);          // step 1: everything valid
  }
}

TEST(VecEnvTest, TerminationResetsInTheSameStepAndKeepsTheFinalObservation) {
  VecEnv vec_env(counting({.num_agents = 2, .terminate_after = 3}), {.num_envs = 2});
  vec_env.reset();
  const std::vector<int64_t> actions = {1, 2, 1, 2};
  for (int step = 1; step <= 2; ++step) {
    const BatchView& batch = vec_env.step({nullptr, actions.data()});
    EXPECT_FALSE(batch.terminated[0]);
    EXPECT_FALSE(batch.episode_ended(0));
    EXPECT_EQ(obs(batch, 0, 1), step);
  }
  const BatchView& batch = vec_env.step({nullptr, actions.data()});
  for (int64_t row = 0; row < 4; ++row) {
    EXPECT_TRUE(batch.terminated[row]);
    EXPECT_FALSE(batch.truncated[row]);
    EXPECT_EQ(final_obs(batch, row, 0), 1);  // the ended episode
    EXPECT_EQ(final_obs(batch, row, 1), 3);  // at its third step
    EXPECT_EQ(obs(batch, row, 0), 2);        // the next episode has begun
    EXPECT_EQ(obs(batch, row, 1), 0);
  }
  EXPECT_EQ(batch.reward[0], 1.0f);  // the terminal step's reward survives the reset
  EXPECT_EQ(batch.reward[1], 3.0f);
  for (int env = 0; env < 2; ++env) {
    EXPECT_TRUE(batch.episode_ended(env));
    EXPECT_EQ(batch.episode_length[env], 3);
    EXPECT_EQ(batch.episode_return[env], 3 * (1 + 3));  // agents' rewards 1 and 3, 3 steps
    EXPECT_EQ(batch.episode_kpis[env * 2 + 0], 3);
    EXPECT_EQ(batch.episode_kpis[env * 2 + 1], 1);
  }
  const BatchView& next = vec_env.step({nullptr, actions.data()});
  EXPECT_FALSE(next.terminated[0]);
  EXPECT_EQ(obs(next, 0, 1), 1);
}

TEST(VecEnvTest, TimeLimitTruncatesWithoutTerminating) {
  VecEnv vec_env(counting({.terminate_after = 0, .max_episode_steps = 4}), {.num_envs = 1});
  vec_env.reset();
  const int64_t action = 2;
  for (int step = 1; step <= 3; ++step) EXPECT_FALSE(vec_env.step({nullptr, &action}).truncated[0]);
  const BatchView& batch = vec_env.step({nullptr, &action});
  EXPECT_TRUE(batch.truncated[0]);
  EXPECT_FALSE(batch.terminated[0]);
  EXPECT_EQ(final_obs(batch, 0, 1), 4);
  EXPECT_EQ(obs(batch, 0, 1), 0);
  EXPECT_EQ(batch.episode_length[0], 4);
}

TEST(VecEnvTest, TerminationBeforeTheLimitIsNotTruncation) {
  VecEnv vec_env(counting({.terminate_after = 2, .max_episode_steps = 5}), {.num_envs = 1});
  vec_env.reset();
  const int64_t action = 0;
  vec_env.step({nullptr, &action});
  const BatchView& batch = vec_env.step({nullptr, &action});
  EXPECT_TRUE(batch.terminated[0]);
  EXPECT_FALSE(batch.truncated[0]);
}

TEST(VecEnvTest, BadActionsAreRefused) {
  VecEnv vec_env(counting({}), {.num_envs = 2});
  vec_env.reset();
  const std::vector<int64_t> out_of_range = {0, 5};
  EXPECT_THROW(vec_env.step({nullptr, out_of_range.data()}), std::invalid_argument);
  const std::vector<float> floats = {0, 1};
  EXPECT_THROW(vec_env.step({floats.data(), nullptr}), std::invalid_argument);
}

TEST(VecEnvTest, EnvExceptionsReachTheCaller) {
  VecEnv vec_env(counting({.throw_at_step = 2}), {.num_envs = 4, .threads = 2});
  vec_env.reset();
  const std::vector<int64_t> actions(4, 0);
  vec_env.step({nullptr, actions.data()});
  EXPECT_THROW(vec_env.step({nullptr, actions.data()}), std::runtime_error);
}

}  // namespace
}  // namespace twinrl

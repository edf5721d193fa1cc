#include "envs/classic/cartpole.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/env_registry.h"
#include "core/vec_env.h"
#include "tests/runner_checks.h"

namespace twinrl {
namespace {

struct Stepped {
  CartPoleEnv::State state;
  float observation[4];
  float reward;
  StepStatus status;
};

Stepped step_from(const CartPoleEnv::State& state, int64_t action) {
  CartPoleModel model{CartPoleParams{}};
  CartPoleEnv env(model);
  Stepped result{};
  env.set_state(state);
  result.status = env.step({nullptr, &action}, {result.observation, &result.reward, nullptr});
  result.state = env.state();
  return result;
}

TEST(CartPoleTest, PushRightFromRestByHand) {
  // total mass 1.1, pole mass * half length 0.05; at rest and upright:
  // temp = 10 / 1.1 = 9.0909; theta_acc = -temp / (0.5 (4/3 - 0.1 / 1.1)) = -14.6341;
  // x_acc = temp + 0.05 * 14.6341 / 1.1 = 9.7561. Euler with tau 0.02 moves the
  // velocities only, since the positions use the old velocities.
  const Stepped s = step_from({0, 0, 0, 0}, 1);
  EXPECT_DOUBLE_EQ(s.state[0], 0.0);
  EXPECT_NEAR(s.state[1], 0.02 * 9.756097560975610, 1e-12);
  EXPECT_DOUBLE_EQ(s.state[2], 0.0);
  EXPECT_NEAR(s.state[3], 0.02 * -14.634146341463415, 1e-12);
  EXPECT_EQ(s.reward, 1.0f);
  EXPECT_FALSE(s.status.terminated);
  EXPECT_FALSE(s.status.truncated);
  EXPECT_FLOAT_EQ(s.observation[1], 0.19512195f);
}

TEST(CartPoleTest, PushLeftMirrorsPushRight) {
  const Stepped right = step_from({0, 0, 0, 0}, 1);
  const Stepped left = step_from({0, 0, 0, 0}, 0);
  for (int i = 0; i < 4; ++i) EXPECT_DOUBLE_EQ(left.state[i], -right.state[i]);
}

TEST(CartPoleTest, MovingStateByHand) {
  // From (0.1, -0.2, 0.05, 0.3) pushing left: values of the same equations
  // evaluated independently in double precision.
  const Stepped s = step_from({0.1, -0.2, 0.05, 0.3}, 0);
  EXPECT_NEAR(s.state[0], 0.096, 1e-12);
  EXPECT_NEAR(s.state[1], -0.3957976546439626, 1e-12);
  EXPECT_NEAR(s.state[2], 0.056, 1e-12);
  EXPECT_NEAR(s.state[3], 0.6080233136061515, 1e-12);
}

TEST(CartPoleTest, TerminatesPastTheAngleAndPositionLimits) {
  const double limit = 12 * M_PI / 180;
  EXPECT_FALSE(step_from({0, 0, limit - 0.01, 0}, 1).status.terminated);
  EXPECT_TRUE(step_from({0, 0, limit - 0.001, 1.0}, 1).status.terminated);
  EXPECT_TRUE(step_from({0, 0, -limit + 0.001, -1.0}, 0).status.terminated);
  EXPECT_TRUE(step_from({2.39, 1.0, 0, 0}, 1).status.terminated);
  EXPECT_TRUE(step_from({-2.39, -1.0, 0, 0}, 0).status.terminated);
  EXPECT_FALSE(step_from({2.3, 1.0, 0, 0}, 1).status.terminated);
  // The terminal step is still rewarded, as in CartPole-v1.
  EXPECT_EQ(step_from({2.39, 1.0, 0, 0}, 1).reward, 1.0f);
}

TEST(CartPoleTest, ResetDrawsSmallStatesFromTheSeed) {
  CartPoleModel model{CartPoleParams{}};
  CartPoleEnv a(model), b(model);
  a.seed(5);
  b.seed(5);
  float obs_a[4], obs_b[4], reward;
  a.reset({obs_a, &reward, nullptr});
  b.reset({obs_b, &reward, nullptr});
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(obs_a[i], obs_b[i]);
    EXPECT_LE(std::abs(obs_a[i]), 0.05f);
  }
}

TEST(CartPoleTest, BalancingControllerIsTruncatedAt500Steps) {
  VecEnv vec_env(std::make_shared<CartPoleModel>(CartPoleParams{}), {.num_envs = 4, .seed = 2});
  const BatchView& batch = vec_env.reset();
  std::vector<int64_t> actions(4);
  for (int step = 1; step <= 500; ++step) {
    for (int env = 0; env < 4; ++env) {
      const float* o = batch.observation + env * 4;
      actions[env] = o[2] + 0.3f * o[3] + 0.01f * o[0] + 0.1f * o[1] > 0 ? 1 : 0;
    }
    vec_env.step({nullptr, actions.data()});
    for (int env = 0; env < 4; ++env) {
      ASSERT_FALSE(batch.terminated[env]) << "env " << env << " fell at step " << step;
      ASSERT_EQ(batch.truncated[env], step == 500);
    }
  }
  for (int env = 0; env < 4; ++env) {
    EXPECT_EQ(batch.episode_length[env], 500);
    EXPECT_EQ(batch.episode_return[env], 500.0f);
    EXPECT_FLOAT_EQ(batch.episode_kpis[env * 2], 10.0f);  // 500 steps of 0.02 s
  }
}

TEST(CartPoleTest, ResultsDoNotDependOnTheNumberOfThreads) {
  const auto model = std::make_shared<CartPoleModel>(CartPoleParams{});
  auto run = [&](int threads) {
    return test_support::record_run(model, {.num_envs = 7, .threads = threads, .seed = 99}, 300,
                                    test_support::random_actions(1));
  };
  const std::vector<float> one = run(1);
  EXPECT_EQ(one, run(2));
  EXPECT_EQ(one, run(3));
  // Episodes did end and reset: each adds its final observation, return and 2 KPIs.
  const size_t per_step = 7 * 4 + 7 * 3;
  EXPECT_GT((one.size() - 7 * 4 - 300 * per_step) / (4 + 1 + 2), 50u);
}

TEST(CartPoleTest, ARunnerLoadedFromASaveContinuesIdentically) {
  EXPECT_GT(test_support::expect_save_load_continues_identically(
                std::make_shared<CartPoleModel>(CartPoleParams{}), 5, 37, 200,
                test_support::random_actions(3)),
            5);
}

// Parameter windows (what-if changes for part of every episode): each holds
// its value from its first step until its last, the parameter then returns to
// its value before, and an episode that ends inside a window starts the next
// one without it; on one thread or two.
TEST(CartPoleTest, ParameterWindowsHoldForTheirStepsOfEveryEpisode) {
  CartPoleParams params;
  params.angle_limit_degrees = 180;  // no termination: every episode runs to its limit
  params.position_limit = 1e6;
  params.max_episode_steps = 10;
  const auto base = make_model<CartPoleParams, CartPoleModel>(params);
  const size_t force = *base->parameters().find("force"), tau = *base->parameters().find("tau");
  const auto model =
      base->with_parameters({}, {{.parameter = force, .value = 0, .from_step = 2, .to_step = 5},
                                 {.parameter = force, .value = 3, .from_step = 5, .to_step = 8},
                                 {.parameter = tau, .value = 0.01, .from_step = 8, .to_step = 20}});
  for (int threads : {1, 2}) {
    VecEnv envs(model, {.num_envs = 4, .threads = threads, .seed = 3});
    envs.reset();
    std::vector<int64_t> actions(4, 1);
    for (int step = 1; step <= 25; ++step) {
      envs.step({.discrete = actions.data()});
      // In force during the step just taken (its index in the episode, from 0).
      const int taken = (step - 1) % 10;
      const bool ended = step % 10 == 0;  // the env has been reset for the next episode
      const double expected_force = ended                       ? 10
                                    : (taken >= 2 && taken < 5) ? 0
                                    : (taken >= 5 && taken < 8) ? 3
                                                                : 10;
      const double expected_tau = !ended && taken >= 8 ? 0.01 : 0.02;
      for (int env = 0; env < 4; ++env) {
        EXPECT_EQ(envs.env(env).parameter(force), expected_force)
            << "step " << step << ", " << threads << " threads";
        EXPECT_EQ(envs.env(env).parameter(tau), expected_tau)
            << "step " << step << ", " << threads << " threads";
      }
    }
  }
  // Only real-valued parameters change within an episode.
  const size_t limit = *base->parameters().find("max_episode_steps");
  EXPECT_THROW(base->with_parameters({}, {{.parameter = limit, .value = 5, .to_step = 2}}),
               ParameterError);
}

}  // namespace
}  // namespace twinrl

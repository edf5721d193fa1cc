#include "envs/box2d/lander_env.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <numbers>
#include <string>
#include <vector>

#include "config/config_error.h"
#include "core/env_registry.h"
#include "core/vec_env.h"
#include "envs/box2d/lander_pd_controller.h"
#include "tests/runner_checks.h"

namespace twinrl::lander {
namespace {

constexpr int kLandedOnPad = 0, kCrashed = 1, kFuelUsed = 2, kTouchdownSpeed = 3;

// One env and the buffers it writes into.
class Lander {
 public:
  explicit Lander(LanderParams params = {}, uint64_t seed = 7, const std::string& randomize = "")
      : model_(make_model<LanderParams, LanderModel>(params, test_support::randomize(randomize))),
        env_(test_support::make_typed_env<LanderEnv>(*model_)) {
    env_->seed(seed);
    env_->reset(output());
  }

  LanderEnv& env() { return *env_; }
  const LanderModel& model() const { return *model_; }
  const std::vector<float>& observation() const { return observation_; }
  float reward() const { return reward_; }

  StepStatus step(int64_t engine) { return env_->step({nullptr, &engine}, output()); }
  StepStatus step(float main, float lateral) {
    const float action[2] = {main, lateral};
    return env_->step({action, nullptr}, output());
  }
  void place(const LanderState& state) { env_->set_state(state); }
  // Steps with the engines off until the episode terminates or `limit` steps pass.
  int coast(int limit) {
    for (int steps = 1; steps <= limit; ++steps)
      if (step_off().terminated) return steps;
    return limit;
  }
  float kpi(int index) const {
    std::vector<float> kpis(model_->spec().kpi_names.size());
    env_->episode_kpis(kpis);
    return kpis[index];
  }

 private:
  StepStatus step_off() {
    return model_->params().continuous ? step(-1.0f, 0.0f) : step(kNoEngine);
  }
  EnvOutput output() { return {observation_.data(), &reward_, nullptr}; }

  std::shared_ptr<const LanderModel> model_;
  std::unique_ptr<LanderEnv> env_;
  std::vector<float> observation_ = std::vector<float>(kObservationSize);
  float reward_ = 0;
};

// Hovering over the pad centre, still and level, legs in the air.
LanderState above_pad(double height) {
  return {.x = kWorldWidth / 2, .y = kHelipadY + height};
}

TEST(LanderSpecTest, SpacesOfLunarLanderV3) {
  const LanderModel discrete{LanderParams{}};
  const EnvSpec& spec = discrete.spec();
  EXPECT_EQ(spec.id, "Lander");
  EXPECT_EQ(spec.action_space, Space::discrete(4));
  const auto two_pi = static_cast<float>(2 * std::numbers::pi);
  EXPECT_EQ(spec.observation_space, Space::box({-2.5f, -2.5f, -10, -10, -two_pi, -10, 0, 0},
                                               {2.5f, 2.5f, 10, 10, two_pi, 10, 1, 1}));
  EXPECT_DOUBLE_EQ(spec.control_period_s, 0.02);
  EXPECT_EQ(spec.max_episode_steps, 1000);
  EXPECT_EQ(spec.kpi_names, (std::vector<std::string>{"landed_on_pad", "crashed", "fuel_used_s",
                                                      "touchdown_speed_m_per_s"}));
  EXPECT_EQ(spec.observation_names.size(), 8u);

  LanderParams params;
  params.continuous = true;
  EXPECT_EQ(LanderModel(params).spec().action_space, Space::box(2, -1, 1));
  EXPECT_EQ(discrete.baseline_names(), std::vector<std::string>{"pd_controller"});
}

TEST(LanderSpecTest, ObservationLayoutOfTheReadme) {
  Lander lander;
  // The episode starts at the top centre of the screen, pushed at random.
  const LanderState start = lander.env().world().state();
  EXPECT_NEAR(start.x, 10, 0.1);
  EXPECT_NEAR(start.y, 40.0 / 3, 0.1);
  EXPECT_NE(start.vx, 0);

  lander.place({.x = 12, .y = 7, .vx = 1.5, .vy = -3, .angle = 0.2, .angular_velocity = -0.5});
  lander.step(kNoEngine);
  const LanderState s = lander.env().world().state();
  const std::vector<float>& o = lander.observation();
  EXPECT_FLOAT_EQ(o[0], static_cast<float>((s.x - 10) / 10));
  EXPECT_FLOAT_EQ(o[1], static_cast<float>((s.y - (10.0 / 3 + 0.6)) / (20.0 / 3)));
  EXPECT_FLOAT_EQ(o[2], static_cast<float>(s.vx / 5));
  EXPECT_FLOAT_EQ(o[3], static_cast<float>(s.vy / 7.5));
  EXPECT_FLOAT_EQ(o[4], static_cast<float>(s.angle));
  EXPECT_FLOAT_EQ(o[5], static_cast<float>(0.4 * s.angular_velocity));
  EXPECT_EQ(o[6], 0);
  EXPECT_EQ(o[7], 0);
  EXPECT_NEAR(s.vy, -3 - 10 * 0.02, 0.05);  // one step of gravity
}

TEST(LanderSpecTest, TheTerrainIsRandomButThePadIsFlat) {
  Lander first(LanderParams{}, 1), second(LanderParams{}, 2);
  const std::span<const double> a = first.env().world().terrain();
  const std::span<const double> b = second.env().world().terrain();
  ASSERT_EQ(a.size(), 11u);
  // Heights averaged over three neighbours with weights 0.33, as Gymnasium.
  for (int chunk = 4; chunk <= 6; ++chunk) {
    EXPECT_DOUBLE_EQ(a[chunk], 0.99 * kHelipadY);
    EXPECT_DOUBLE_EQ(b[chunk], 0.99 * kHelipadY);
  }
  EXPECT_NE(a[0], b[0]);
  EXPECT_NE(a[10], b[10]);
  EXPECT_DOUBLE_EQ(kHelipadLeft, 8);
  EXPECT_DOUBLE_EQ(kHelipadRight, 12);
}

TEST(LanderSpecTest, LegZeroIsOnThePlusXSide) {
  Lander lander;
  // Tilted counter-clockwise, the -x side hangs lower: leg 1 touches first.
  lander.place({.x = 10, .y = kHelipadY + 1.2, .vy = -1, .angle = 0.3});
  for (int step = 0; step < 100 && lander.observation()[6] + lander.observation()[7] == 0; ++step)
    lander.step(kNoEngine);
  EXPECT_EQ(lander.observation()[6], 0);
  EXPECT_EQ(lander.observation()[7], 1);
}

TEST(LanderRewardTest, ShapingOfKnownObservations) {
  // 100 per unit of distance (a 3-4-5 triangle) and of speed, 100 per radian,
  // 10 per leg on the ground.
  EXPECT_DOUBLE_EQ(shaping({0.3, 0.4, 0, 0, 0, 0, 0, 0}), -50);
  EXPECT_DOUBLE_EQ(shaping({0, 0, 0.6, -0.8, -0.25, 3, 1, 1}), -100 - 25 + 20);
  EXPECT_DOUBLE_EQ(shaping({0, 0, 0, 0, 0, 0, 1, 1}) - shaping({0.3, 0.4, 0, 0, 0, 0, 0, 0}), 70);
}

TEST(LanderRewardTest, AStepEarnsTheChangeOfShaping) {
  Lander lander;
  const LanderState state{
      .x = 13, .y = 8, .vx = -2, .vy = 1, .angle = -0.1, .leg_contact = {true, false}};
  lander.place(state);
  const double before = shaping(lander.env().observation());
  // Box2D keeps positions in single precision.
  EXPECT_NEAR(before,
              -100 * std::hypot(0.3, (8 - 10.0 / 3 - 0.6) / (20.0 / 3)) -
                  100 * std::hypot(2.0 / 5, 1 / 7.5) - 100 * 0.1 + 10,
              1e-5);
  lander.step(kNoEngine);
  // The sensor keeps its hand-set reading: no contact began or ended.
  EXPECT_EQ(lander.observation()[6], 1);
  EXPECT_FLOAT_EQ(lander.reward(),
                  static_cast<float>(shaping(lander.env().observation()) - before));
}

TEST(LanderRewardTest, MovingTowardsThePadEarnsAndAwayCosts) {
  LanderParams weak_gravity;  // so that falling hardly changes the speed
  weak_gravity.gravity = -0.01;
  for (const double vx : {-5.0, 5.0}) {
    Lander lander(weak_gravity);
    lander.place({.x = 14, .y = 8, .vx = vx});
    lander.step(kNoEngine);
    if (vx < 0)
      EXPECT_GT(lander.reward(), 0.3);
    else
      EXPECT_LT(lander.reward(), -0.3);
  }
}

TEST(LanderRewardTest, FuelCostsOfTheEngines) {
  struct Case {
    bool continuous;
    float main, lateral;  // main is the discrete action when not continuous
    double cost;
  };
  for (const Case& c :
       {Case{false, 2, 0, 0.3}, Case{false, 1, 0, 0.03}, Case{false, 3, 0, 0.03},
        Case{false, 0, 0, 0}, Case{true, 0.5f, 0, 0.3 * 0.75}, Case{true, 1, -1, 0.3 + 0.03},
        Case{true, 0, 0.75f, 0.03 * 0.75}, Case{true, -0.5f, 0.4f, 0}}) {
    LanderParams params;
    params.continuous = c.continuous;
    Lander lander(params);
    lander.place({.x = 10, .y = 9});
    const double before = shaping(lander.env().observation());
    if (c.continuous)
      lander.step(c.main, c.lateral);
    else
      lander.step(static_cast<int64_t>(c.main));
    EXPECT_NEAR(lander.reward(), shaping(lander.env().observation()) - before - c.cost, 1e-4)
        << c.continuous << " " << c.main << " " << c.lateral;
    // In seconds of full main-engine thrust, a side engine burning a tenth.
    EXPECT_NEAR(lander.kpi(kFuelUsed), c.cost / 0.3 * 0.02, 1e-6);
  }
}

TEST(LanderRulesTest, TheMainEngineLiftsAndTheSideEnginesPushAndTurn) {
  for (const DiscreteAction engine : {kNoEngine, kLeftEngine, kMainEngine, kRightEngine}) {
    Lander lander;
    lander.place(above_pad(5));
    for (int step = 0; step < 10; ++step) lander.step(engine);
    const LanderState s = lander.env().world().state();
    EXPECT_EQ(s.vy > 0.5, engine == kMainEngine) << engine;
    EXPECT_EQ(s.vy < -1.5, engine != kMainEngine) << engine;
    EXPECT_EQ(s.angular_velocity > 0.1, engine == kLeftEngine) << engine;  // counter-clockwise
    EXPECT_EQ(s.angular_velocity < -0.1, engine == kRightEngine) << engine;
    if (engine == kLeftEngine || engine == kRightEngine) {
      const double pushed = engine == kLeftEngine ? -s.vx : s.vx;  // left: towards -x
      EXPECT_GT(pushed, 0.05) << engine;
    }
  }
}

TEST(LanderRulesTest, TheHullTouchingTheGroundCrashes) {
  Lander lander;
  lander.place({.x = 10, .y = kHelipadY + 0.8, .vy = -3, .angle = std::numbers::pi});
  const int steps = lander.coast(50);
  EXPECT_LT(steps, 50);
  EXPECT_EQ(lander.reward(), -100);
  EXPECT_EQ(lander.kpi(kCrashed), 1);
  EXPECT_EQ(lander.kpi(kLandedOnPad), 0);
}

TEST(LanderRulesTest, LeavingTheScreenSidewaysCrashes) {
  Lander lander;
  lander.place({.x = 19.95, .y = 10, .vx = 5});
  EXPECT_TRUE(lander.step(kNoEngine).terminated);
  EXPECT_GE(lander.observation()[0], 1);
  EXPECT_EQ(lander.reward(), -100);
  EXPECT_EQ(lander.kpi(kCrashed), 1);
}

TEST(LanderRulesTest, ComingToRestOnThePadEarns100) {
  Lander lander;
  // The legs hang about 0.5 m below the hull's centre.
  lander.place(above_pad(0.6));
  bool both_legs_down = false;
  int steps = 0;
  StepStatus status;
  while (!status.terminated && steps < 500) {
    status = lander.step(kNoEngine);
    ++steps;
    both_legs_down |= lander.observation()[6] == 1 && lander.observation()[7] == 1;
  }
  EXPECT_TRUE(status.terminated);
  EXPECT_TRUE(both_legs_down);
  EXPECT_EQ(lander.reward(), 100);
  EXPECT_TRUE(lander.env().world().at_rest());
  EXPECT_EQ(lander.kpi(kLandedOnPad), 1);
  EXPECT_EQ(lander.kpi(kCrashed), 0);
  EXPECT_GT(lander.kpi(kTouchdownSpeed), 0.5);
  EXPECT_LT(lander.kpi(kTouchdownSpeed), 1.5);
  // At rest on the pad, the lander is at the observation's origin.
  EXPECT_NEAR(lander.observation()[0], 0, 0.01);
  EXPECT_NEAR(lander.observation()[1], 0, 0.02);
}

TEST(LanderRulesTest, ATouchdownTooFastCrashesOnTheLegs) {
  Lander lander;
  lander.place(above_pad(1.2));
  EXPECT_LT(lander.coast(100), 100);
  EXPECT_EQ(lander.reward(), -100);
  EXPECT_EQ(lander.kpi(kCrashed), 1);
  EXPECT_GT(lander.kpi(kTouchdownSpeed), 3);
}

TEST(LanderRulesTest, TruncatedAfter1000Steps) {
  // Falling slowly from the top enough to stay in the air for 1000 steps, yet
  // fast enough never to fall asleep.
  LanderParams params;
  params.gravity = -0.03;
  params.initial_random_force = 0;
  VecEnv vec_env(std::make_shared<LanderModel>(params), {.num_envs = 1});
  const BatchView& batch = vec_env.reset();
  const int64_t noop = 0;
  for (int step = 1; step < 1000; ++step) {
    vec_env.step({nullptr, &noop});
    ASSERT_FALSE(batch.episode_ended(0)) << step;
  }
  vec_env.step({nullptr, &noop});
  EXPECT_TRUE(batch.truncated[0]);
  EXPECT_FALSE(batch.terminated[0]);
  EXPECT_EQ(batch.episode_length[0], 1000);
  EXPECT_EQ(batch.episode_kpis[kCrashed], 0);
  EXPECT_EQ(batch.episode_kpis[kLandedOnPad], 0);
}

// The lander's x after 150 steps with the engines off.
double drift(const LanderParams& params) {
  Lander lander(params, 11);
  for (int step = 0; step < 150; ++step) lander.step(kNoEngine);
  return lander.env().world().state().x;
}

TEST(LanderWindTest, WindMovesTheLanderOnlyWhenEnabled) {
  LanderParams calm;
  calm.enable_wind = false;
  calm.wind_power = 15;
  LanderParams other_power = calm;
  other_power.wind_power = 5;
  other_power.turbulence_power = 0.5;
  EXPECT_EQ(drift(calm), drift(other_power));

  LanderParams windy = calm;
  windy.enable_wind = true;
  EXPECT_GT(std::abs(drift(windy) - drift(calm)), 0.3);

  LanderParams still_air = windy;
  still_air.wind_power = 0;
  still_air.turbulence_power = 0;
  EXPECT_EQ(drift(still_air), drift(calm));
}

std::string build_error(const std::string& yaml) {
  const EnvEntry entry = make_env_entry<LanderParams, LanderModel>("Lander", "");
  try {
    entry.build(parse_config_text(yaml, "lander.yaml"));
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "no error";
}

TEST(LanderParamsTest, BadParamsNameTheKey) {
  EXPECT_EQ(build_error("gravity: -20\n"),
            "lander.yaml:1:10: gravity: -20 is out of range: must be >= -12");
  EXPECT_EQ(build_error("gravity: 0\n"),
            "lander.yaml:1:10: gravity: 0 is out of range: must be <= -0.01");
  EXPECT_EQ(build_error("wind_power: -1\n"),
            "lander.yaml:1:13: wind_power: -1 is out of range: must be >= 0");
  EXPECT_EQ(build_error("continuous: maybe\n"),
            "lander.yaml:1:13: continuous: expected true or false, got 'maybe'");
  EXPECT_EQ(build_error("max_episode_steps: 0\n"),
            "lander.yaml:1:20: max_episode_steps: 0 is out of range: must be >= 1");
  EXPECT_EQ(build_error("gravty: -5\n"),
            "lander.yaml:1:1: unknown key 'gravty'; did you mean 'gravity'?");
}

TEST(LanderRandomizationTest, ParametersAreDrawnAtEachReset) {
  Lander lander({}, 7, "{gravity: [-11, -3], main_engine_power: [10, 16]}");
  std::vector<double> gravities;
  for (int episode = 0; episode < 5; ++episode) {
    const LanderParams& drawn = lander.env().params();
    EXPECT_GE(drawn.gravity, -11);
    EXPECT_LE(drawn.gravity, -3);
    EXPECT_GE(drawn.main_engine_power, 10);
    EXPECT_LE(drawn.main_engine_power, 16);
    EXPECT_FLOAT_EQ(lander.env().world().box2d().GetGravity().y, static_cast<float>(drawn.gravity));
    gravities.push_back(drawn.gravity);
    float observation[kObservationSize], reward;
    lander.env().reset({observation, &reward, nullptr});
  }
  EXPECT_NE(gravities[0], gravities[1]);
}

// Every output of a runner of 4 envs over 700 steps, for a number of threads,
// under random actions or the PD controller.
std::vector<float> trajectory(const LanderParams& params, const std::string& randomize, bool random,
                              int threads) {
  return test_support::record_run(
      make_model<LanderParams, LanderModel>(params, test_support::randomize(randomize)),
      {.num_envs = 4, .threads = threads, .seed = 3}, 700,
      random ? test_support::random_actions(11)
             : test_support::baseline_actions(std::make_shared<PdController>()));
}

TEST(LanderDeterminismTest, SameSeedSameTrajectoryForAnyThreadCount) {
  LanderParams windy;
  windy.enable_wind = true;
  const std::string gravity = "{gravity: [-11, -8]}";
  const std::vector<float> random_actions = trajectory(windy, gravity, true, 1);
  EXPECT_EQ(random_actions, trajectory(windy, gravity, true, 1));
  EXPECT_EQ(random_actions, trajectory(windy, gravity, true, 2));

  LanderParams continuous;
  continuous.continuous = true;
  EXPECT_EQ(trajectory(continuous, "", false, 1), trajectory(continuous, "", false, 2));
}

TEST(LanderDeterminismTest, ARunnerLoadedFromASaveContinuesIdentically) {
  for (const bool continuous : {false, true}) {
    LanderParams params;
    params.continuous = continuous;
    // Past the first landings, so that saved episodes have contacts to restore.
    EXPECT_GE(test_support::expect_save_load_continues_identically(
                  make_model<LanderParams, LanderModel>(
                      params, test_support::randomize("{side_engine_power: [0.4, 0.8]}")),
                  3, 260, 300, test_support::baseline_actions(std::make_shared<PdController>())),
              3)
        << continuous;
  }
}

TEST(LanderBaselineTest, ThePdControllerLandsInBothModes) {
  for (const bool continuous : {false, true}) {
    LanderParams params;
    params.continuous = continuous;
    VecEnv vec_env(std::make_shared<LanderModel>(params), {.num_envs = 4, .seed = 21});
    const BatchView& batch = vec_env.reset();
    const test_support::ActionChooser controller =
        test_support::baseline_actions(std::make_shared<PdController>());
    double total_return = 0, landed = 0;
    int episodes = 0;
    for (int64_t step = 0; episodes < 20; ++step) {
      vec_env.step(controller(vec_env, step));
      for (int env = 0; env < 4 && episodes < 20; ++env) {
        if (!batch.episode_ended(env)) continue;
        ++episodes;
        total_return += batch.episode_return[env];
        landed += batch.episode_kpis[env * batch.num_kpis + kLandedOnPad];
      }
    }
    EXPECT_GT(total_return / episodes, 200) << continuous;
    EXPECT_GE(landed, 16) << continuous;
  }
}

}  // namespace
}  // namespace twinrl::lander

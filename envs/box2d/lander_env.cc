#include "envs/box2d/lander_env.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "envs/box2d/lander_pd_controller.h"

namespace twinrl::lander {
namespace {

EnvSpec lander_spec(const LanderParams& params) {
  constexpr auto two_pi = static_cast<float>(2 * std::numbers::pi);
  EnvSpec spec;
  spec.id = "Lander";
  // LunarLander-v3's bounds; values may spike beyond them.
  spec.observation_space = Space::box({-2.5f, -2.5f, -10, -10, -two_pi, -10, 0, 0},
                                      {2.5f, 2.5f, 10, 10, two_pi, 10, 1, 1});
  spec.action_space = params.continuous ? Space::box(2, -1, 1) : Space::discrete(4);
  spec.control_period_s = 1 / kFps;
  spec.max_episode_steps = params.max_episode_steps;
  spec.kpi_names = {"landed_on_pad", "crashed", "fuel_used_s", "touchdown_speed_m_per_s"};
  spec.observation_names = {
      "x: (x - pad centre) / 10 m",      "y: (y - pad height - 0.6 m) / 6.67 m",
      "vx: horizontal velocity / 5 m/s", "vy: vertical velocity / 7.5 m/s",
      "angle_rad (counter-clockwise)",   "angular velocity * 0.4 s/rad",
      "leg 0 (+x side) on the ground",   "leg 1 (-x side) on the ground"};
  if (params.continuous)
    spec.action_names = {"main throttle (off below 0, 50-100% over 0..1)",
                         "side throttle (left engine below -0.5, right engine above 0.5)"};
  else
    spec.action_names = {"engine (0: none, 1: left, 2: main, 3: right)"};
  return spec;
}

}  // namespace

double shaping(const Observation& o) {
  return -kDistanceWeight * std::hypot(o[0], o[1]) - kSpeedWeight * std::hypot(o[2], o[3]) -
         kAngleWeight * std::abs(o[4]) + kLegContactBonus * (o[6] + o[7]);
}

LanderModel::LanderModel(const LanderParams& params)
    : EnvModel(lander_spec(params)), params_(params) {}

std::unique_ptr<Env> LanderModel::create_env() const {
  return std::make_unique<LanderEnv>(*this);
}

std::unique_ptr<BaselinePolicy> LanderModel::make_baseline(const std::string& name,
                                                           uint64_t seed) const {
  if (name == "pd_controller") return std::make_unique<PdController>();
  return EnvModel::make_baseline(name, seed);
}

LanderEnv::LanderEnv(const LanderModel& model)
    : EnvWithParams(model.params()), commands_(model.params().max_episode_steps) {}

void LanderEnv::begin_episode() {
  started_ = true;
  episode_seed_ = rng_.state();
  steps_ = 0;
  world_.build(params_, rng_);
  outcome_ = Outcome::kFlying;
  fuel_used_s_ = 0;
  touched_down_ = false;
  touchdown_speed_ = 0;
  // Gymnasium's reset takes one step with the engines off and drops its reward.
  world_.step({}, params_, rng_);
  observation_ = world_.observe();
  previous_shaping_ = shaping(observation_);
}

void LanderEnv::reset_episode(const EnvOutput& out) {
  begin_episode();
  std::copy(observation_.begin(), observation_.end(), out.observation);
}

EngineCommand LanderEnv::decode(const ActionRef& action) const {
  EngineCommand command;
  if (params_.continuous) {
    const double main = std::clamp<double>(action.continuous[0], -1, 1);
    const double lateral = std::clamp<double>(action.continuous[1], -1, 1);
    if (main > kMainThrottleThreshold) command.main_power = (main + 1) / 2;
    if (std::abs(lateral) > kSideThrottleThreshold) {
      command.side_power = std::abs(lateral);
      command.side_direction = lateral < 0 ? -1 : 1;
    }
  } else {
    const int64_t engine = action.discrete[0];
    if (engine == kMainEngine) command.main_power = 1;
    if (engine == kLeftEngine || engine == kRightEngine) {
      command.side_power = 1;
      command.side_direction = engine == kLeftEngine ? -1 : 1;
    }
  }
  return command;
}

StepStatus LanderEnv::advance(const EngineCommand& command, float& reward) {
  const LanderState before = world_.state();
  world_.step(command, params_, rng_);
  observation_ = world_.observe();

  const double potential = shaping(observation_);
  double value = potential - previous_shaping_ - command.main_power * kMainEngineCost -
                 command.side_power * kSideEngineCost;
  previous_shaping_ = potential;
  fuel_used_s_ +=
      (command.main_power + command.side_power * kSideEngineCost / kMainEngineCost) / kFps;
  if (!touched_down_ && (observation_[6] > 0 || observation_[7] > 0)) {
    touched_down_ = true;
    touchdown_speed_ = std::hypot(before.vx, before.vy);
  }

  StepStatus status;
  if (world_.hull_touched_ground() || std::abs(observation_[0]) >= 1) {
    status.terminated = true;
    value = -kEndBonus;
    outcome_ = Outcome::kCrashed;
  }
  if (world_.at_rest()) {  // as Gymnasium, coming to rest outweighs a crash in the same step
    status.terminated = true;
    value = kEndBonus;
    outcome_ = Outcome::kLanded;
  }
  reward = static_cast<float>(value);
  return status;
}

StepStatus LanderEnv::step(const ActionRef& action, const EnvOutput& out) {
  const EngineCommand command = decode(action);
  if (steps_ < std::ssize(commands_)) commands_[steps_] = command;
  ++steps_;
  const StepStatus status = advance(command, out.reward[0]);
  std::copy(observation_.begin(), observation_.end(), out.observation);
  return status;
}

void LanderEnv::episode_kpis(std::span<float> out) const {
  const double x = world_.state().x;
  out[0] = outcome_ == Outcome::kLanded && x >= kHelipadLeft && x <= kHelipadRight ? 1.0f : 0.0f;
  out[1] = outcome_ == Outcome::kCrashed ? 1.0f : 0.0f;
  out[2] = static_cast<float>(fuel_used_s_);
  out[3] = static_cast<float>(touchdown_speed_);
}

void LanderEnv::set_state(const LanderState& state) {
  world_.set_state(state);
  observation_ = world_.observe();
  previous_shaping_ = shaping(observation_);
}

void LanderEnv::archive_state(StateArchive& state) {
  const Rng::State generator = rng_.state();  // when loading: the loaded one
  int steps = steps_;
  state(started_, episode_seed_, steps);
  if (steps < 0 || steps > std::ssize(commands_))
    throw std::runtime_error("Lander checkpoint: more steps than max_episode_steps");
  const std::span<EngineCommand> commands(commands_.data(), steps);
  state(commands);
  if (!state.loading() || !started_) return;
  rng_.set_state(episode_seed_);
  begin_episode();
  float reward = 0;
  for (const EngineCommand& command : commands) advance(command, reward);
  steps_ = steps;
  if (rng_.state() != generator)
    throw std::runtime_error("Lander checkpoint: replaying the episode did not reproduce it");
}

}  // namespace twinrl::lander

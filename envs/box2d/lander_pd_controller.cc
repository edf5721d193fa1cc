#include "envs/box2d/lander_pd_controller.h"

#include <algorithm>
#include <cmath>

#include "envs/box2d/lander_env.h"

namespace twinrl::lander {
namespace {

// Gains in observation units (see the observation layout in README.md).
constexpr double kLeanPerOffset = 0.5;
constexpr double kLeanPerDrift = 1.2;
constexpr double kMaxLean = 0.35;  // rad
constexpr double kTurnP = 0.6;
constexpr double kTurnD = 1.2;
constexpr double kGlideSlope = 0.5;  // target height per unit of horizontal offset
constexpr double kLiftP = 0.6;
constexpr double kLiftD = 0.7;
constexpr double kBrakeD = 0.6;       // after touchdown
constexpr double kDeadband = 0.05;    // discrete engines stay off below this demand
constexpr double kThrottleGain = 20;  // continuous throttle per unit of demand

// The demands for one observation: positive `lift` asks for the main engine,
// positive `turn` for counter-clockwise rotation.
struct ControlDemand {
  double lift = 0;
  double turn = 0;
};

ControlDemand pd_demand(const Observation& o) {
  const auto& [x, y, vx, vy, angle, spin, leg0, leg1] = o;
  if (leg0 > 0 || leg1 > 0) return {.lift = -kBrakeD * vy, .turn = 0};
  const double lean = std::clamp(kLeanPerOffset * x + kLeanPerDrift * vx, -kMaxLean, kMaxLean);
  const double height = kGlideSlope * std::abs(x);
  return {.lift = kLiftP * (height - y) - kLiftD * vy,
          .turn = kTurnP * (lean - angle) - kTurnD * spin};
}

}  // namespace

void PdController::act(const Env& env, const ActionOutput& out) const {
  const auto& lander = static_cast<const LanderEnv&>(env);
  const ControlDemand demand = pd_demand(lander.observation());
  if (lander.params().continuous) {
    out.continuous[0] = static_cast<float>(std::clamp(kThrottleGain * demand.lift - 1, -1.0, 1.0));
    out.continuous[1] = static_cast<float>(std::clamp(-kThrottleGain * demand.turn, -1.0, 1.0));
    return;
  }
  DiscreteAction engine = kNoEngine;
  if (demand.lift > kDeadband && demand.lift > std::abs(demand.turn))
    engine = kMainEngine;
  else if (demand.turn > kDeadband)
    engine = kLeftEngine;  // turns counter-clockwise
  else if (demand.turn < -kDeadband)
    engine = kRightEngine;
  out.discrete[0] = engine;
}

}  // namespace twinrl::lander

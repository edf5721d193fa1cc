#include "envs/box2d/amr_planner.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "envs/box2d/amr_env.h"

namespace twinrl::amr {
namespace {

constexpr float kTurnGain = 2.0f;       // turn rate (rad/s) per radian of heading error
constexpr float kStoppingTime = 0.5f;   // s: drive no faster than stops this short of a hit
constexpr float kSideMargin = 0.1f;     // m: hits this far beside the body's path still count
constexpr float kStopDistance = 0.05f;  // m: the gap left in front of an obstacle
constexpr int kLookaheadCells = 4;      // how far along the path the robot may cut across

// Where to steer (m): the farthest of the next cells of the shortest path
// that the robot can drive to in a straight line, clear of shelves by
// kSideMargin, or the centre of its own cell when none is (it has strayed
// towards a shelf).
b2Vec2 pursuit_target(const AmrEnv& env) {
  const AmrFloorPlan& plan = env.model().floor_plan();
  const AmrDistanceFields& fields = env.model().distance_fields();
  const auto cell_size = static_cast<float>(env.params().cell_size_m);
  // The same margin as the lidar's check, so that a target never looks blocked.
  const float radius = (static_cast<float>(env.params().robot_radius_m) + kSideMargin) / cell_size;
  const b2Vec2 position = (1.0f / cell_size) * env.robot_pose().position;
  const int cell = plan.cell_at(position);
  if (cell < 0 || plan.solid(cell)) return env.waypoint();
  b2Vec2 target = plan.center(cell);
  for (int step = 0, next = cell; step < kLookaheadCells; ++step) {
    next = fields.next_cell(env.goal(), next);
    if (!plan.sweep_clear(position, plan.center(next), radius)) break;
    target = plan.center(next);
  }
  return cell_size * target;
}

// The distance (m) the robot can drive straight ahead before its body meets
// a lidar hit: hits within its width and a margin, in front of it.
float clearance_ahead(const AmrEnv& env) {
  const LidarGeometry lidar = env.lidar_geometry();
  const std::span<const float> ranges = env.lidar();
  const auto radius = static_cast<float>(env.params().robot_radius_m);
  float clearance = lidar.range_m;
  for (int ray = 0; ray < static_cast<int>(ranges.size()); ++ray) {
    if (ranges[ray] >= 1.0f) continue;
    const float angle = lidar_ray_angle(lidar, ray, static_cast<int>(ranges.size()));
    const float range = ranges[ray] * lidar.range_m;
    const float ahead = range * std::cos(angle), beside = range * std::sin(angle);
    if (ahead > 0 && std::abs(beside) < radius + kSideMargin)
      clearance = std::min(clearance, ahead - radius);
  }
  return clearance;
}

}  // namespace

void AmrPlanner::act(const Env& env, const ActionOutput& out) const {
  const auto& amr = static_cast<const AmrEnv&>(env);
  const AmrParams& params = amr.params();
  const Pose pose = amr.robot_pose();
  const b2Vec2 to_waypoint = pursuit_target(amr) - pose.position;
  const float error = std::remainder(std::atan2(to_waypoint.y, to_waypoint.x) - pose.angle,
                                     2 * std::numbers::pi_v<float>);
  const float turn_rate = kTurnGain * error;
  const float clearance = clearance_ahead(amr) - kStopDistance;
  const float speed =
      std::min(static_cast<float>(params.max_linear_speed_m_s) * std::max(0.0f, std::cos(error)),
               std::max(0.0f, clearance) / kStoppingTime);
  out.continuous[0] =
      std::clamp(speed / static_cast<float>(params.max_linear_speed_m_s), 0.0f, 1.0f);
  out.continuous[1] =
      std::clamp(turn_rate / static_cast<float>(params.max_angular_speed_rad_s), -1.0f, 1.0f);
}

}  // namespace twinrl::amr

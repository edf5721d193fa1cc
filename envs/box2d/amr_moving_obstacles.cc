#include "envs/box2d/amr_moving_obstacles.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace twinrl::amr {
namespace {

// Tries at drawing a start away from the robot, or a route that avoids it,
// before taking whatever comes.
constexpr int kDraws = 10;
// An obstacle closer than this (m) to its waypoint's centre has reached it.
constexpr float kArrivalTolerance = 1e-3f;

}  // namespace

AmrMovingObstacles::AmrMovingObstacles(const AmrFloorPlan& plan, const AmrDistanceFields& fields,
                                       int people, int robots)
    : plan_(plan),
      fields_(fields),
      people_(people),
      waypoint_(people + robots),
      passed_(people + robots),
      destination_(people + robots),
      waited_s_(people + robots) {}

void AmrMovingObstacles::place(int robot_cell, const AmrParams& params, Rng& rng,
                               std::span<DiscBody> bodies) {
  const std::vector<int>& picks = plan_.pick_points();
  for (int obstacle = 0; obstacle < size(); ++obstacle) {
    int start = 0;
    for (int draw = 0; draw < kDraws; ++draw) {
      start = static_cast<int>(rng.below(picks.size()));
      const int distance = std::max(std::abs(plan_.x(picks[start]) - plan_.x(robot_cell)),
                                    std::abs(plan_.y(picks[start]) - plan_.y(robot_cell)));
      if (distance >= 2) break;
    }
    waypoint_[obstacle] = passed_[obstacle] = picks[start];
    waited_s_[obstacle] = 0;
    destination_[obstacle] = plan_.other_pick_point(start, rng);
    const double radius = is_person(obstacle) ? params.person_radius_m : params.robot_radius_m;
    bodies[obstacle] = {static_cast<float>(params.cell_size_m) * plan_.center(picks[start]),
                        static_cast<float>(radius)};
  }
}

bool AmrMovingObstacles::blocked_by_robot(int obstacle, b2Vec2 heading, b2Vec2 position,
                                          const AmrWorld& world, const AmrParams& params) const {
  const b2Vec2 to_robot = world.robot_pose().position - position;
  const double radius = is_person(obstacle) ? params.person_radius_m : params.robot_radius_m;
  const double contact = radius + params.robot_radius_m;
  const float ahead = b2Dot(to_robot, heading);
  return ahead > 0 && std::abs(b2Cross(heading, to_robot)) < contact &&
         ahead < contact + params.obstacle_yield_gap_m;
}

void AmrMovingObstacles::steer(AmrWorld& world, const AmrParams& params, Rng& rng) {
  const auto cell_size = static_cast<float>(params.cell_size_m);
  const auto period = static_cast<float>(params.control_period_s);
  for (int obstacle = 0; obstacle < size(); ++obstacle) {
    const b2Vec2 position = world.obstacle_position(obstacle);
    b2Vec2 to_waypoint = cell_size * plan_.center(waypoint_[obstacle]) - position;
    if (to_waypoint.Length() < kArrivalTolerance) {
      const int cell = waypoint_[obstacle];
      passed_[obstacle] = cell;
      if (cell == plan_.pick_points()[destination_[obstacle]])
        destination_[obstacle] = plan_.other_pick_point(destination_[obstacle], rng);
      waypoint_[obstacle] = fields_.next_cell(destination_[obstacle], cell);
      to_waypoint = cell_size * plan_.center(waypoint_[obstacle]) - position;
    }
    const float distance = to_waypoint.Length();
    if (distance > 0 &&
        blocked_by_robot(obstacle, (1.0f / distance) * to_waypoint, position, world, params)) {
      world.set_obstacle_velocity(obstacle, b2Vec2_zero);
      waited_s_[obstacle] += params.control_period_s;
      if (waited_s_[obstacle] >= params.obstacle_patience_s) {
        // Back to the last cell centre passed, away from the robot, then to
        // a destination whose route does not lead past it.
        waited_s_[obstacle] = 0;
        const int blocked = waypoint_[obstacle];
        for (int draw = 0; draw < kDraws; ++draw) {
          destination_[obstacle] = plan_.other_pick_point(destination_[obstacle], rng);
          if (fields_.next_cell(destination_[obstacle], passed_[obstacle]) != blocked) break;
        }
        waypoint_[obstacle] = passed_[obstacle];
      }
      continue;
    }
    waited_s_[obstacle] = 0;
    const auto speed = static_cast<float>(is_person(obstacle) ? params.person_speed_m_s
                                                              : params.other_robot_speed_m_s);
    // The last stretch to a waypoint takes exactly one period, landing on it.
    const float reach = speed * period;
    world.set_obstacle_velocity(obstacle, distance <= reach ? (1.0f / period) * to_waypoint
                                                            : (speed / distance) * to_waypoint);
  }
}

}  // namespace twinrl::amr

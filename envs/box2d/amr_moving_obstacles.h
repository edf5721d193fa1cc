#pragma once
// The people and scripted robots that share the aisles with the Amr robot.
// Each walks the centre lines of the cells along a shortest path to a pick
// point drawn at random, then to the next one, at a constant speed. They stop
// while the robot stands in their way, and after a while of waiting turn back
// and head elsewhere. They are kinematic: a robot that drives into their path
// is pushed aside. They do not see each other.
#include <span>
#include <vector>

#include "core/rng.h"
#include "envs/box2d/amr_distance_fields.h"
#include "envs/box2d/amr_params.h"
#include "envs/box2d/amr_world.h"

namespace twinrl::amr {

class AmrMovingObstacles {
 public:
  // Obstacles [0, people) are people, the rest robots.
  AmrMovingObstacles(const AmrFloorPlan& plan, const AmrDistanceFields& fields, int people,
                     int robots);

  int size() const { return static_cast<int>(waypoint_.size()); }
  bool is_person(int obstacle) const { return obstacle < people_; }

  // Draws each obstacle's start, a pick point at least two cells from
  // `robot_cell` where the map allows, and its first destination; writes the
  // bodies to create (`size()` of them).
  void place(int robot_cell, const AmrParams& params, Rng& rng, std::span<DiscBody> bodies);
  // Sets every obstacle's velocity for the coming control period: towards the
  // centre of the next cell of its route, drawing a new destination on
  // arrival, or zero while the robot blocks the way.
  void steer(AmrWorld& world, const AmrParams& params, Rng& rng);

 private:
  // Whether the robot is less than obstacle_yield_gap_m ahead of `obstacle`,
  // at `position` moving along the unit vector `heading`, in its way.
  bool blocked_by_robot(int obstacle, b2Vec2 heading, b2Vec2 position, const AmrWorld& world,
                        const AmrParams& params) const;

  const AmrFloorPlan& plan_;
  const AmrDistanceFields& fields_;
  int people_;
  std::vector<int> waypoint_;     // the cell each obstacle heads for
  std::vector<int> passed_;       // the last cell whose centre it passed
  std::vector<int> destination_;  // the pick point index at the end of its route
  std::vector<double> waited_s_;  // how long each has been blocked by the robot
};

}  // namespace twinrl::amr

#pragma once
// The YAML parameters of the Amr env: the floor plan (the warehouse map
// format), the robot and its lidar, the moving obstacles, the reward, and the
// real-valued knobs a twin calibrates or randomizes.
#include <string>

#include "config/config_node.h"
#include "config/schema.h"
#include "envs/box2d/amr_floor_plan.h"

namespace twinrl::amr {

struct AmrParams {
  std::string layout = "tiny";
  std::string map;
  double cell_size_m = 1.5;
  std::string pick_points = "shelf_faces";
  double robot_radius_m = 0.35;
  double max_linear_speed_m_s = 1.0;
  double max_reverse_speed_m_s = 0.3;
  double max_angular_speed_rad_s = 1.5;
  double control_period_s = 0.1;
  int physics_substeps = 4;
  int max_episode_steps = 600;
  int lidar_rays = 16;
  double lidar_fov_degrees = 270;
  double lidar_range_m = 6;
  int num_people = 2;
  double person_radius_m = 0.25;
  double person_speed_m_s = 1.0;
  int num_other_robots = 1;
  double other_robot_speed_m_s = 0.7;
  double obstacle_yield_gap_m = 0.3;
  double obstacle_patience_s = 3.0;
  double pick_radius_m = 0.5;
  double progress_reward = 1.0;
  double pick_reward = 10.0;
  double collision_penalty = 10.0;
  double time_penalty = 0.01;

  template <class Visitor>
  void visit(Visitor& v) {
    v("layout", layout,
      {.doc = "floor plan: a Warehouse preset (tiny 11x10 cells, small 20x10, medium 20x16, large "
              "29x16) or map",
       .choices = {"tiny", "small", "medium", "large", "map"}});
    v("map", map,
      {.doc = "layout map, as the Warehouse env's: rows of x (shelf), . (aisle), g (pick "
              "station), # (wall), c (charger: the robot starts there)"});
    v("cell_size_m", cell_size_m, {.doc = "side of a map cell (m)", .min = 0.1, .max = 10});
    v("pick_points", pick_points,
      {.doc = "where picks happen: shelf_faces (free cells next to a shelf) or stations (g cells)",
       .choices = {"shelf_faces", "stations"}});
    v("robot_radius_m", robot_radius_m,
      {.doc = "radius of the robot's round body (m)", .min = 0.01, .max = 5});
    v("max_linear_speed_m_s", max_linear_speed_m_s,
      {.doc = "forward speed at action 1 (m/s)", .min = 0.01, .max = 10});
    v("max_reverse_speed_m_s", max_reverse_speed_m_s,
      {.doc = "reverse speed at action -1 (m/s): slow, as the lidar does not see behind",
       .min = 0,
       .max = 10});
    v("max_angular_speed_rad_s", max_angular_speed_rad_s,
      {.doc = "turn rate at action 1 (rad/s)", .min = 0.01, .max = 20});
    v("control_period_s", control_period_s,
      {.doc = "simulated seconds per step", .min = 1e-3, .max = 1});
    v("physics_substeps", physics_substeps,
      {.doc = "Box2D steps per control period", .min = 1, .max = 100});
    v("max_episode_steps", max_episode_steps,
      {.doc = "episodes are truncated after this many steps", .min = 1, .max = 1000000});
    v("lidar_rays", lidar_rays,
      {.doc = "lidar rays, spread evenly over the field of view", .min = 1, .max = 1024});
    v("lidar_fov_degrees", lidar_fov_degrees,
      {.doc = "lidar field of view, centred on the heading", .min = 0, .max = 360});
    v("lidar_range_m", lidar_range_m,
      {.doc = "lidar range from the robot's centre (m)", .min = 0.1, .max = 100});
    v("num_people", num_people,
      {.doc = "people walking between pick points", .min = 0, .max = 100});
    v("person_radius_m", person_radius_m, {.doc = "radius of a person (m)", .min = 0.01, .max = 5});
    v("person_speed_m_s", person_speed_m_s,
      {.doc = "walking speed of people (m/s)", .min = 0, .max = 10});
    v("num_other_robots", num_other_robots,
      {.doc = "scripted robots driving between pick points", .min = 0, .max = 100});
    v("other_robot_speed_m_s", other_robot_speed_m_s,
      {.doc = "speed of the scripted robots (m/s); their radius is robot_radius_m",
       .min = 0,
       .max = 10});
    v("obstacle_yield_gap_m", obstacle_yield_gap_m,
      {.doc = "people and scripted robots stop while the robot is in their way, closer than "
              "this gap (m)",
       .min = 0,
       .max = 10});
    v("obstacle_patience_s", obstacle_patience_s,
      {.doc = "after waiting this long (s) for the robot, they turn back and head elsewhere",
       .min = 0,
       .max = 3600});
    v("pick_radius_m", pick_radius_m,
      {.doc = "a pick counts once the robot's centre is this close to the pick point's centre",
       .min = 0.01,
       .max = 10});
    v("progress_reward", progress_reward,
      {.doc = "reward per metre of shortest-path distance gained towards the pick point",
       .min = 0});
    v("pick_reward", pick_reward, {.doc = "reward of a pick", .min = 0});
    v("collision_penalty", collision_penalty,
      {.doc = "penalty of a collision: the robot starting to touch a shelf, wall, person or robot",
       .min = 0});
    v("time_penalty", time_penalty, {.doc = "penalty of every step", .min = 0});
  }

  // The ASCII map that `layout` describes.
  std::string layout_map() const;
  // Its floor plan; throws warehouse::LayoutError for a map that cannot be one.
  AmrFloorPlan floor_plan() const;
  // Builds the floor plan to check the map and that the bodies fit its aisles.
  void validate(const ConfigNode& node) const;
};

}  // namespace twinrl::amr

// What the viewer draws of an Amr episode (Env::render_scene, render_state).
#include <nlohmann/json.hpp>

#include "envs/box2d/amr_env.h"
#include "envs/box2d/box2d_render.h"

namespace twinrl::amr {

void AmrEnv::render_scene(nlohmann::json& scene) const {
  // In metres of this episode: cell_size_m may be randomized per episode.
  const AmrFloorPlan& plan = model_.floor_plan();
  const double cell = params_.cell_size_m;
  nlohmann::json blocks = nlohmann::json::array();
  for (const AmrFloorPlan::SolidBlock& block : plan.solid_blocks())
    blocks.push_back({metres(block.x * cell), metres(block.y * cell), metres(block.width * cell),
                      metres(block.height * cell)});
  nlohmann::json picks = nlohmann::json::array();
  for (int pick : plan.pick_points()) {
    const b2Vec2 center = plan.center(pick);
    picks.push_back(point_json(center.x * cell, center.y * cell));
  }
  const LidarGeometry lidar = lidar_geometry();
  nlohmann::json ray_angles = nlohmann::json::array();
  for (int ray = 0; ray < params_.lidar_rays; ++ray)
    ray_angles.push_back(
        round_to_decimals(lidar_ray_angle(lidar, ray, params_.lidar_rays), kAngleDecimals));
  scene = {
      {"map_size_m", point_json(plan.width() * cell, plan.height() * cell)},
      {"cell_size_m", metres(cell)},
      {"solid_blocks", std::move(blocks)},
      {"pick_points", std::move(picks)},
      {"pick_radius_m", metres(params_.pick_radius_m)},
      {"robot_radius_m", metres(params_.robot_radius_m)},
      {"person_radius_m", metres(params_.person_radius_m)},
      {"lidar_angles", std::move(ray_angles)},
      {"lidar_range_m", metres(params_.lidar_range_m)},
  };
}

void AmrEnv::render_state(nlohmann::json& state) const {
  const Pose pose = robot_pose();
  nlohmann::json ranges = nlohmann::json::array();
  for (float range : lidar_) ranges.push_back(metres(range * params_.lidar_range_m));
  nlohmann::json people = nlohmann::json::array(), robots = nlohmann::json::array();
  for (int obstacle = 0; obstacle < world_.num_obstacles(); ++obstacle) {
    const b2Vec2 position = world_.obstacle_position(obstacle);
    (obstacles_.is_person(obstacle) ? people : robots)
        .push_back(point_json(position.x, position.y));
  }
  state = {
      {"robot", pose_json(pose.position.x, pose.position.y, pose.angle)},
      {"lidar_m", std::move(ranges)},
      {"people", std::move(people)},
      {"other_robots", std::move(robots)},
      {"goal", goal_},
      {"picks", picks_},
      {"collisions", collisions_},
  };
}

}  // namespace twinrl::amr

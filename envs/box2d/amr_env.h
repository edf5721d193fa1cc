#pragma once
// An autonomous mobile robot (AMR) in warehouse aisles: a differential-drive
// disc in a Box2D world built from a Warehouse map must reach a sequence of
// pick points drawn at random, seeing its surroundings through a lidar, among
// people and other robots that walk the aisles. Reward: progress along the
// shortest path to the pick point, a bonus per pick, a penalty per collision
// and per step. Episodes have a fixed length (the runner truncates them).
#include <memory>
#include <string>
#include <vector>

#include "core/env.h"
#include "envs/box2d/amr_distance_fields.h"
#include "envs/box2d/amr_floor_plan.h"
#include "envs/box2d/amr_lidar.h"
#include "envs/box2d/amr_moving_obstacles.h"
#include "envs/box2d/amr_params.h"
#include "envs/box2d/amr_world.h"

namespace twinrl::amr {

// Where each figure sits in an observation: lidar_rays ranges, then 8 numbers.
struct ObservationLayout {
  int lidar_rays;
  int goal_distance() const { return lidar_rays; }
  int goal_bearing() const { return lidar_rays + 1; }  // cos, sin
  int route_distance() const { return lidar_rays + 3; }
  int waypoint_bearing() const { return lidar_rays + 4; }  // cos, sin
  int forward_speed() const { return lidar_rays + 6; }
  int turn_rate() const { return lidar_rays + 7; }
  int size() const { return lidar_rays + 8; }
};

class AmrModel : public EnvModel {
 public:
  explicit AmrModel(const AmrParams& params);

  std::vector<std::string> baseline_names() const override { return {"planner"}; }
  std::unique_ptr<BaselinePolicy> make_baseline(const std::string& name,
                                                uint64_t seed) const override;

  const AmrParams& params() const { return params_; }
  const AmrFloorPlan& floor_plan() const { return floor_plan_; }
  const AmrDistanceFields& distance_fields() const { return distance_fields_; }
  ObservationLayout observation_layout() const { return {params_.lidar_rays}; }

 protected:
  std::unique_ptr<Env> create_env() const override;

 private:
  AmrParams params_;
  AmrFloorPlan floor_plan_;
  AmrDistanceFields distance_fields_;
};

class AmrEnv : public EnvWithParams<AmrParams> {
 public:
  explicit AmrEnv(const AmrModel& model);

  StepStatus step(const ActionRef& action, const EnvOutput& out) override;
  // picks, picks_per_hour, collisions, path_length_m, mean_time_per_pick_s.
  void episode_kpis(std::span<float> out) const override;
  // The floor plan, pick points and lidar geometry; the robot's pose, its
  // lidar ranges, the people and other robots, the pick point and the counts
  // so far (amr_render.cc; the keys are in envs/box2d/README.md, "Render state").
  void render_scene(nlohmann::json& scene) const override;
  void render_state(nlohmann::json& state) const override;

  const AmrModel& model() const { return model_; }
  // The physics world, rebuilt at every reset.
  b2World& world() { return world_.world(); }
  Pose robot_pose() const { return world_.robot_pose(); }
  // The current pick point: an index into floor_plan().pick_points().
  int goal() const { return goal_; }
  // Its centre, and the centre of the next cell on a shortest path to it (m).
  b2Vec2 goal_position() const;
  b2Vec2 waypoint() const;
  // Lidar ranges over lidar_range_m, as in the last observation.
  std::span<const float> lidar() const { return lidar_; }
  LidarGeometry lidar_geometry() const;
  int num_obstacles() const { return world_.num_obstacles(); }
  b2Vec2 obstacle_position(int obstacle) const { return world_.obstacle_position(obstacle); }
  int picks() const { return picks_; }
  int collisions() const { return collisions_; }

  // Starts this episode over (same draws) with the robot at `pose`, for tests
  // and what-if scenarios; writes the observation.
  void place_robot(const Pose& pose, const EnvOutput& out);

 protected:
  // An episode is its start (the random generator at reset, and a placed
  // robot) and its actions: loading rebuilds the world and replays them,
  // because Box2D's contact cache cannot be saved.
  void archive_state(StateArchive& state) override;
  void reset_episode(const EnvOutput& out) override;

 private:
  // Draws the episode's start and first pick point from rng_,
  // builds the world and zeroes the episode's figures.
  void start_episode();
  // One control period with actions (linear, angular) in [-1, 1]; returns the reward.
  float advance(float linear, float angular);
  float route_distance_m() const;
  void scan();
  void observe(float* observation);

  const AmrModel& model_;
  AmrWorld world_;
  AmrMovingObstacles obstacles_;

  Rng::State start_rng_{};
  bool robot_placed_ = false;
  Pose placed_pose_{b2Vec2(0, 0), 0};
  std::vector<float> actions_;  // [max_episode_steps][2]: the episode so far, for checkpoints

  int steps_ = 0;
  int goal_ = 0;
  float last_route_distance_m_ = 0;
  int picks_ = 0;
  double last_pick_time_s_ = 0;
  int collisions_ = 0;
  double path_length_m_ = 0;

  // Scratch, sized once.
  std::vector<float> lidar_;
  std::vector<DiscBody> obstacle_bodies_;
};

}  // namespace twinrl::amr

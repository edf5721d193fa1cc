#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <string>
#include <vector>

#include "config/config_error.h"
#include "core/env_registry.h"
#include "core/vec_env.h"
#include "envs/box2d/amr_env.h"
#include "tests/runner_checks.h"

namespace twinrl::amr {
namespace {

// No moving obstacles and no reward but the collision penalty, unless a test says otherwise.
AmrParams quiet_params(const std::string& map) {
  AmrParams params;
  params.layout = "map";
  params.map = map;
  params.cell_size_m = 1.0;
  params.num_people = 0;
  params.num_other_robots = 0;
  return params;
}

// One env and the buffers it writes into.
class Robot {
 public:
  explicit Robot(const AmrParams& params, const std::string& randomize = "")
      : model_(make_model<AmrParams, AmrModel>(params, test_support::randomize(randomize))) {
    env_ = test_support::make_typed_env<AmrEnv>(*model_);
    observation_.resize(model_->spec().observation_space.size());
    env_->seed(7);
    env_->reset(output());
  }

  AmrEnv& env() { return *env_; }
  const AmrModel& model() const { return *model_; }
  const std::vector<float>& observation() const { return observation_; }

  void place(float x, float y, float angle) { env_->place_robot({{x, y}, angle}, output()); }
  // Steps with (linear, angular) commands; returns the reward.
  float step(float linear, float angular) {
    const float action[2] = {linear, angular};
    env_->step({action, nullptr}, output());
    return reward_;
  }
  float kpi(int index) const {
    std::vector<float> kpis(model_->spec().kpi_names.size());
    env_->episode_kpis(kpis);
    return kpis[index];
  }

 private:
  EnvOutput output() { return {observation_.data(), &reward_, nullptr}; }

  std::shared_ptr<const AmrModel> model_;
  std::unique_ptr<AmrEnv> env_;
  std::vector<float> observation_;
  float reward_ = 0;
};

constexpr int kPicks = 0, kPicksPerHour = 1, kCollisions = 2, kPathLength = 3;

std::string build_error(const std::string& yaml) {
  const EnvEntry entry = make_env_entry<AmrParams, AmrModel>("Amr", "test");
  try {
    entry.build(parse_config_text(yaml, "amr.yaml"));
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "no error";
}

TEST(AmrConfigTest, BuildsFromAPresetAndFromAMap) {
  const AmrModel tiny(AmrParams{});
  EXPECT_EQ(tiny.floor_plan().width(), 10);
  EXPECT_EQ(tiny.floor_plan().height(), 11);
  EXPECT_EQ(tiny.spec().observation_space.size(), 16 + 8);
  EXPECT_EQ(tiny.spec().action_space, Space::box(2, -1, 1));
  EXPECT_EQ(tiny.baseline_names(), std::vector<std::string>{"planner"});

  const AmrModel custom(
      quiet_params("c...\n"
                   ".xx.\n"
                   "...g\n"));
  // Free cells beside the two shelves; the charger is where the robot starts.
  EXPECT_EQ(custom.floor_plan().pick_points().size(), 6u);
  EXPECT_EQ(custom.floor_plan().start_cells(), std::vector<int>{0});
  AmrParams stations = quiet_params(
      "c..g\n"
      ".xx.\n"
      "...g\n");
  stations.pick_points = "stations";
  EXPECT_EQ(AmrModel(stations).floor_plan().pick_points(), (std::vector<int>{3, 11}));
}

TEST(AmrConfigTest, BadMapsAndParametersNameTheKey) {
  EXPECT_EQ(build_error("layout: map\nmap: |\n  x.g\n  x.\n"),
            "amr.yaml:2:6: map: map row 2 has 2 cells but row 1 has 3: every row must be as long");
  EXPECT_EQ(build_error("layout: map\npick_points: stations\nmap: |\n  x.g\n  ...\n"),
            "amr.yaml:3:6: map: the map needs two pick stations (g) for pick_points: stations");
  EXPECT_EQ(build_error("layout: map\nmap: |\n  cx.\n  .xg\n  .x.\n"),
            "amr.yaml:2:6: map: map row 1, column 3 cannot be reached from map row 1, column 1: "
            "every start cell and pick point must be connected by free cells");
  EXPECT_EQ(build_error("layout: map\n"), "amr.yaml:1:1: map: layout is 'map' but no map is given");
  EXPECT_EQ(build_error("robot_radius_m: 0.8\n"),
            "amr.yaml:1:17: robot_radius_m: a body 1.6 m wide does not fit between shelves in "
            "cells of 1.5 m (cell_size_m)");
  EXPECT_NE(build_error("lidar_rays: 0\n").find("amr.yaml:1:13: lidar_rays:"), std::string::npos);
}

TEST(AmrConfigTest, AMapTooLargeForItsDistanceFieldsIsRefusedAtOnce) {
  // 120 x 120 cells with a shelf row every other row: thousands of shelf faces.
  std::string map = "layout: map\nmap: |\n  cg" + std::string(118, '.') + "\n";
  for (int y = 1; y < 120; ++y)
    map += "  " + (y % 2 ? std::string(120, '.') : ".." + std::string(116, 'x') + "..") + "\n";
  const std::string error = build_error(map);
  EXPECT_NE(error.find("amr.yaml:2:6: map: "), std::string::npos) << error;
  EXPECT_NE(error.find("MB of distance fields, above the limit of 64 MB"), std::string::npos)
      << error;
}

// Free floor 6 x 3 m with one shelf: robot at (1.5, 0.5), walls around.
constexpr const char* kLidarMap =
    "......\n"
    "......\n"
    ".x..g.\n";

TEST(AmrLidarTest, RangesToKnownWallsAndShelves) {
  AmrParams params = quiet_params(kLidarMap);
  params.lidar_rays = 3;
  params.lidar_fov_degrees = 180;
  params.lidar_range_m = 10;
  Robot robot(params);
  // Rays at -90, 0 and 90 degrees from the heading; y grows down the map.
  robot.place(1.5f, 0.5f, 0.0f);  // facing +x: the top wall, the right wall, the shelf below
  EXPECT_NEAR(robot.observation()[0], 0.05f, 1e-5f);
  EXPECT_NEAR(robot.observation()[1], 0.45f, 1e-5f);
  EXPECT_NEAR(robot.observation()[2], 0.15f, 1e-5f);
  robot.place(1.5f, 0.5f, std::numbers::pi_v<float> / 2);  // facing the shelf
  EXPECT_NEAR(robot.observation()[0], 0.45f, 1e-5f);
  EXPECT_NEAR(robot.observation()[1], 0.15f, 1e-5f);
  EXPECT_NEAR(robot.observation()[2], 0.15f, 1e-5f);

  params.lidar_range_m = 3;  // the right wall is out of range
  Robot short_range(params);
  short_range.place(1.5f, 0.5f, 0.0f);
  EXPECT_EQ(short_range.observation()[1], 1.0f);
  EXPECT_NEAR(short_range.observation()[2], 0.5f, 1e-5f);
}

// Two pick stations in the open, reached straight from 2 m above them.
constexpr const char* kOpenMap =
    "......\n"
    "......\n"
    ".x.g.g\n";

AmrParams open_params() {
  AmrParams params = quiet_params(kOpenMap);
  params.pick_points = "stations";
  return params;
}

TEST(AmrObservationTest, LayoutMatchesTheReadme) {
  AmrParams params = open_params();
  params.lidar_rays = 4;
  Robot robot(params);
  const EnvSpec& spec = robot.model().spec();
  EXPECT_EQ(
      spec.observation_names,
      (std::vector<std::string>{
          "lidar_0 (range / lidar_range_m)", "lidar_1 (range / lidar_range_m)",
          "lidar_2 (range / lidar_range_m)", "lidar_3 (range / lidar_range_m)",
          "goal_distance (straight, m / distance scale)", "goal_bearing_cos", "goal_bearing_sin",
          "route_distance (shortest path, m / distance scale)", "waypoint_bearing_cos",
          "waypoint_bearing_sin", "forward_speed (/ max_linear_speed_m_s)",
          "turn_rate (/ max_angular_speed_rad_s)"}));
  EXPECT_EQ(spec.kpi_names, (std::vector<std::string>{"picks", "picks_per_hour", "collisions",
                                                      "path_length_m", "mean_time_per_pick_s"}));

  // Facing away from the goal: it is straight behind.
  const b2Vec2 goal = robot.env().goal_position();
  robot.place(goal.x, goal.y - 2, -std::numbers::pi_v<float> / 2);
  const ObservationLayout layout = robot.model().observation_layout();
  const std::vector<float>& o = robot.observation();
  const float scale = 1.0f * (6 + 3);  // cell_size_m * (width + height)
  EXPECT_NEAR(o[layout.goal_distance()], 2 / scale, 1e-5f);
  EXPECT_NEAR(o[layout.goal_bearing()], -1, 1e-5f);
  EXPECT_NEAR(o[layout.goal_bearing() + 1], 0, 1e-5f);
  EXPECT_NEAR(o[layout.waypoint_bearing()], -1, 1e-5f);
  EXPECT_GE(o[layout.route_distance()], o[layout.goal_distance()] - 1e-5f);
  EXPECT_EQ(o[layout.forward_speed()], 0);
  EXPECT_EQ(o[layout.turn_rate()], 0);
  robot.step(-1, 0.5f);  // backwards towards the goal, turning
  EXPECT_NEAR(o[layout.forward_speed()],
              -params.max_reverse_speed_m_s / params.max_linear_speed_m_s, 1e-3f);
  EXPECT_NEAR(o[layout.turn_rate()], 0.5f, 1e-5f);
  EXPECT_LT(o[layout.goal_distance()], 2 / scale);
}

TEST(AmrPickTest, ReachingThePickPointCountsAPickAndAdvancesTheGoal) {
  const AmrParams params = open_params();
  Robot robot(params);
  const int first_goal = robot.env().goal();
  const b2Vec2 goal = robot.env().goal_position();
  robot.place(goal.x - 0.3f, goal.y, 0.0f);
  EXPECT_EQ(robot.env().goal(), first_goal);
  const float reward = robot.step(0, 0);
  EXPECT_FLOAT_EQ(reward, static_cast<float>(params.pick_reward - params.time_penalty));
  EXPECT_EQ(robot.kpi(kPicks), 1);
  EXPECT_FLOAT_EQ(robot.kpi(kPicksPerHour), 36000);  // one pick in 0.1 s
  EXPECT_NE(robot.env().goal(), first_goal);
  robot.step(0, 0);
  EXPECT_EQ(robot.kpi(kPicks), 1);
}

TEST(AmrPickTest, ProgressAlongTheRouteIsRewarded) {
  AmrParams params = open_params();
  params.time_penalty = 0;
  Robot robot(params);
  const b2Vec2 goal = robot.env().goal_position();
  robot.place(goal.x, goal.y - 2, std::numbers::pi_v<float> / 2);
  // 0.1 m closer in a straight line along free cells.
  EXPECT_NEAR(robot.step(1, 0), 0.1f, 1e-4f);
  EXPECT_NEAR(robot.kpi(kPathLength), 0.1f, 1e-4f);
}

TEST(AmrCollisionTest, DrivingIntoAShelfCountsOneCollision) {
  AmrParams params = quiet_params(kLidarMap);
  params.progress_reward = 0;
  params.pick_reward = 0;
  params.time_penalty = 0;
  Robot robot(params);
  robot.place(1.5f, 0.5f, std::numbers::pi_v<float> / 2);  // 1.5 m above the shelf, facing it
  std::vector<float> rewards;
  for (int step = 0; step < 30; ++step) rewards.push_back(robot.step(1, 0));
  EXPECT_EQ(robot.kpi(kCollisions), 1);
  EXPECT_EQ(
      std::count(rewards.begin(), rewards.end(), -static_cast<float>(params.collision_penalty)), 1);
  EXPECT_EQ(std::count(rewards.begin(), rewards.end(), 0.0f), 29);
  // Stopped at the shelf's face.
  EXPECT_NEAR(robot.env().robot_pose().position.y, 2.0f - 0.35f, 0.02f);
}

TEST(AmrObstacleTest, PeopleAndRobotsWalkTheAisles) {
  AmrParams params;
  params.num_people = 2;
  params.num_other_robots = 1;
  Robot robot(params);
  ASSERT_EQ(robot.env().num_obstacles(), 3);
  std::vector<b2Vec2> before;
  for (int obstacle = 0; obstacle < 3; ++obstacle)
    before.push_back(robot.env().obstacle_position(obstacle));
  for (int step = 0; step < 20; ++step) robot.step(0, 0);
  for (int obstacle = 0; obstacle < 3; ++obstacle) {
    const float moved = (robot.env().obstacle_position(obstacle) - before[obstacle]).Length();
    const double speed = obstacle < 2 ? params.person_speed_m_s : params.other_robot_speed_m_s;
    EXPECT_GT(moved, 0.5f) << obstacle;
    EXPECT_LE(moved, speed * 2.0 + 1e-3) << obstacle;  // 20 steps of 0.1 s
    // On the aisles: never inside a shelf.
    const int cell =
        robot.model().floor_plan().cell_at((1.0f / 1.5f) * robot.env().obstacle_position(obstacle));
    ASSERT_GE(cell, 0);
    EXPECT_FALSE(robot.model().floor_plan().solid(cell));
  }
}

TEST(AmrEpisodeTest, TheRunnerTruncatesAtTheEpisodeLength) {
  AmrParams params;
  params.max_episode_steps = 20;
  VecEnv vec_env(std::make_shared<AmrModel>(params), {.num_envs = 2, .seed = 1});
  const BatchView& batch = vec_env.reset();
  const std::vector<float> actions(4, 0.0f);
  for (int step = 1; step <= 20; ++step) {
    vec_env.step({actions.data(), nullptr});
    EXPECT_FALSE(batch.terminated[0]);
    EXPECT_EQ(batch.truncated[0], step == 20) << step;
  }
  EXPECT_EQ(batch.episode_length[0], 20);
}

TEST(AmrDeterminismTest, SameSeedSameTrajectoryForAnyThreadCount) {
  AmrParams params;
  params.max_episode_steps = 120;
  const auto model = std::make_shared<AmrModel>(params);
  auto run = [&](int threads) {
    return test_support::record_run(model, {.num_envs = 3, .threads = threads, .seed = 3}, 300,
                                    test_support::random_actions(11));
  };
  const std::vector<float> one = run(1);
  EXPECT_EQ(one, run(1));
  EXPECT_EQ(one, run(2));
}

TEST(AmrDeterminismTest, ARunnerLoadedFromASaveContinuesIdentically) {
  AmrParams params;
  params.max_episode_steps = 150;
  const auto model = make_model<AmrParams, AmrModel>(
      params, test_support::randomize("{person_speed_m_s: [0.5, 1.5], cell_size_m: [1.3, 1.7]}"));
  EXPECT_EQ(test_support::expect_save_load_continues_identically(model, 3, 237, 150,
                                                                 test_support::random_actions(5)),
            3);
}

TEST(AmrRandomizationTest, ParametersAreDrawnAtEachReset) {
  Robot robot(quiet_params(kLidarMap), "{max_linear_speed_m_s: [0.5, 0.5]}");
  EXPECT_EQ(robot.env().params().max_linear_speed_m_s, 0.5);
  robot.place(1.5f, 0.5f, 0.0f);
  robot.step(1, 0);
  EXPECT_NEAR(robot.env().robot_pose().position.x, 1.55f, 1e-4f);
}

TEST(AmrPlannerTest, ThePlannerPicksOnTiny) {
  const auto model = std::make_shared<AmrModel>(AmrParams{});
  const auto planner = model->make_baseline("planner", 1);
  VecEnv vec_env(model, {.num_envs = 2, .seed = 8});
  const BatchView& batch = vec_env.reset();
  std::vector<float> actions(4);
  for (int step = 0; step < model->params().max_episode_steps; ++step) {
    for (int env = 0; env < 2; ++env) planner->act(vec_env.env(env), {actions.data() + 2 * env});
    vec_env.step({actions.data(), nullptr});
  }
  for (int env = 0; env < 2; ++env) {
    ASSERT_TRUE(batch.episode_ended(env));
    EXPECT_GE(batch.episode_kpis[env * batch.num_kpis + kPicks], 3) << env;
  }
}

}  // namespace
}  // namespace twinrl::amr

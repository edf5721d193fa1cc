// The Lander's and the Amr's render scene and state, and their drawers.
#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "envs/box2d/amr_env.h"
#include "envs/box2d/lander_env.h"
#include "tests/drawing_shapes.h"
#include "tests/episode_recording.h"
#include "viewer/drawers/drawers.h"

namespace twinrl::viewer {
namespace {

// Every number of `json` is finite.
bool all_finite(const nlohmann::json& json) {
  if (json.is_number()) return std::isfinite(json.get<double>());
  if (!json.is_structured()) return true;
  for (const nlohmann::json& item : json)
    if (!all_finite(item)) return false;
  return true;
}

// No number is written with more than four decimals (no float's 17 digits).
bool compact(const nlohmann::json& json) {
  const std::string text = json.dump();
  int decimals = -1;  // digits after the point of the number being read; -1 outside decimals
  for (size_t i = 0; i < text.size(); ++i) {
    const bool digit = std::isdigit(static_cast<unsigned char>(text[i]));
    if (text[i] == '.' && i > 0 && std::isdigit(static_cast<unsigned char>(text[i - 1])))
      decimals = 0;
    else if (digit && decimals >= 0 && ++decimals > 4)
      return false;
    else if (!digit)
      decimals = -1;
  }
  return true;
}

using test_support::shapes_of;

// Checks what every drawer's picture must satisfy.
void expect_drawable(const SceneDrawer& drawer, const RolloutEpisode& episode) {
  const EpisodePicture picture = drawer.draw(episode);
  EXPECT_EQ(picture.frames.size(), episode.steps.size());
  EXPECT_TRUE(all_finite(picture.background.to_json()));
  for (const Drawing& frame : picture.frames) EXPECT_TRUE(all_finite(frame.to_json()));
  // The state after reset alone draws too.
  RolloutEpisode first = episode;
  first.steps.resize(1);
  EXPECT_EQ(drawer.draw(first).frames.size(), 1u);
}

// ---- Lander ----

constexpr double kMillimetre = 1e-3;

// The hull's outline: the polygon of the hull's six vertices, or null.
const Shape* hull_polygon(const Drawing& frame) {
  for (const Shape* polygon : shapes_of(frame, ShapeKind::polygon))
    if (polygon->points.size() == 2 * lander::kHullPixels.size()) return polygon;
  return nullptr;
}

// How far the point (x, y) lies along the hull's x axis from its centre.
double along_hull_x(const lander::LanderState& hull, double x, double y) {
  return (x - hull.x) * std::cos(hull.angle) + (y - hull.y) * std::sin(hull.angle);
}

TEST(LanderDrawerTest, StateFollowsTheBodiesAndTheDrawingTheLander) {
  EpisodeRecording recorder(std::make_shared<const lander::LanderModel>(lander::LanderParams{}), 3);
  auto& env = static_cast<lander::LanderEnv&>(recorder.env());
  int64_t engine = lander::kMainEngine;
  for (int step = 0; step < 20; ++step) recorder.step({nullptr, &engine});
  engine = lander::kLeftEngine;
  recorder.step({nullptr, &engine});
  const RolloutEpisode& episode = recorder.episode();

  const nlohmann::json& scene = episode.scene;
  EXPECT_EQ(scene.at("terrain").size(), static_cast<size_t>(lander::kTerrainChunks));
  EXPECT_EQ(scene.at("hull").size(), lander::kHullPixels.size());
  EXPECT_NEAR(scene.at("pad").at(2).get<double>(), env.world().terrain()[5], kMillimetre);

  const nlohmann::json& state = episode.steps.back().state;
  const lander::LanderState body = env.world().state();
  EXPECT_NEAR(state.at("hull").at(0).get<double>(), body.x, kMillimetre);
  EXPECT_NEAR(state.at("hull").at(1).get<double>(), body.y, kMillimetre);
  EXPECT_NEAR(state.at("hull").at(2).get<double>(), body.angle, 1e-4);
  ASSERT_EQ(state.at("legs").size(), 2u);
  // Leg 0 hangs on the hull's +x side, leg 1 on its -x side.
  const nlohmann::json& legs = state.at("legs");
  EXPECT_GT(along_hull_x(body, legs[0][0].get<double>(), legs[0][1].get<double>()), 0.3);
  EXPECT_LT(along_hull_x(body, legs[1][0].get<double>(), legs[1][1].get<double>()), -0.3);
  EXPECT_EQ(state.at("leg_contact"), nlohmann::json({0, 0}));
  // The last step fired the left engine, the ones before the main engine.
  EXPECT_EQ(state.at("side_throttle").get<double>(), -1);
  EXPECT_EQ(state.at("main_throttle").get<double>(), 0);
  EXPECT_EQ(episode.steps[1].state.at("main_throttle").get<double>(), 1);
  EXPECT_EQ(episode.steps[0].state.at("main_throttle").get<double>(), 0);
  for (const RolloutStep& step : episode.steps) {
    EXPECT_TRUE(compact(step.state)) << step.state.dump();
    EXPECT_FALSE(std::isnan(step.kpis[2]));  // fuel so far
  }
  EXPECT_TRUE(compact(scene));
  EXPECT_GT(episode.steps[20].kpis[2], 0);

  const std::unique_ptr<SceneDrawer> drawer = make_lander_drawer();
  ASSERT_NE(drawer, nullptr);
  expect_drawable(*drawer, episode);
  const EpisodePicture picture = drawer->draw(episode);
  EXPECT_TRUE(picture.background.bounds().y_up);
  EXPECT_FLOAT_EQ(picture.background.bounds().x_max, static_cast<float>(lander::kWorldWidth));
  // Terrain and two flags; the poles stand at the pad's ends.
  EXPECT_EQ(shapes_of(picture.background, ShapeKind::polygon).size(), 3u);
  const std::vector<const Shape*> poles = shapes_of(picture.background, ShapeKind::polyline);
  ASSERT_EQ(poles.size(), 2u);
  EXPECT_FLOAT_EQ(poles[0]->points[0], static_cast<float>(lander::kHelipadLeft));
  EXPECT_FLOAT_EQ(poles[1]->points[0], static_cast<float>(lander::kHelipadRight));

  // After reset: two legs and the hull; while an engine fires, its flame too.
  EXPECT_EQ(shapes_of(picture.frames[0], ShapeKind::polygon).size(), 3u);
  EXPECT_EQ(shapes_of(picture.frames[1], ShapeKind::polygon).size(), 4u);
  // The hull is drawn where the body is: its first vertex, rotated.
  const Shape* hull = hull_polygon(picture.frames.back());
  ASSERT_NE(hull, nullptr);
  const double vx = lander::kHullPixels[0][0] / lander::kScale;
  const double vy = lander::kHullPixels[0][1] / lander::kScale;
  EXPECT_NEAR(hull->points[0], body.x + vx * std::cos(body.angle) - vy * std::sin(body.angle),
              2 * kMillimetre);
  EXPECT_NEAR(hull->points[1], body.y + vx * std::sin(body.angle) + vy * std::cos(body.angle),
              2 * kMillimetre);
  // The left engine's flame points out of the hull's +x side.
  const Shape& flame = *shapes_of(picture.frames.back(), ShapeKind::polygon)[0];
  EXPECT_GT(along_hull_x(body, flame.points[2], flame.points[3]), 0.6);
  // Firing the main engine moved the lander.
  ASSERT_NE(hull_polygon(picture.frames[0]), nullptr);
  EXPECT_NE(hull_polygon(picture.frames[0])->points, hull->points);
}

TEST(LanderDrawerTest, LegContactsShowOnceLanded) {
  EpisodeRecording recorder(std::make_shared<const lander::LanderModel>(lander::LanderParams{}), 5);
  auto& env = static_cast<lander::LanderEnv&>(recorder.env());
  // Just above the pad, level and still: the legs touch within a few steps.
  env.set_state({.x = lander::kWorldWidth / 2, .y = lander::kHelipadY + 0.9});
  int64_t engine = lander::kNoEngine;
  for (int step = 0; step < 30; ++step) recorder.step({nullptr, &engine});
  const nlohmann::json& state = recorder.episode().steps.back().state;
  EXPECT_EQ(state.at("leg_contact"), nlohmann::json({1, 1}));
  const EpisodePicture picture = make_lander_drawer()->draw(recorder.episode());
  const std::vector<const Shape*> legs = shapes_of(picture.frames.back(), ShapeKind::polygon);
  ASSERT_EQ(legs.size(), 3u);  // two legs, the hull
  // Legs on the ground change colour.
  const std::vector<const Shape*> airborne = shapes_of(picture.frames[0], ShapeKind::polygon);
  ASSERT_EQ(airborne.size(), 3u);
  EXPECT_EQ(legs[0]->fill.css(), legs[1]->fill.css());
  EXPECT_EQ(airborne[0]->fill.css(), airborne[1]->fill.css());
  EXPECT_NE(legs[0]->fill.css(), airborne[0]->fill.css());
}

// ---- Amr ----

// The circles of a frame whose centre is at (x, y).
int circles_at(const Drawing& frame, double x, double y, float radius) {
  int count = 0;
  for (const Shape* circle : shapes_of(frame, ShapeKind::circle))
    if (std::abs(circle->points[0] - x) < 2e-3 && std::abs(circle->points[1] - y) < 2e-3 &&
        std::abs(circle->points[2] - radius) < 1e-3)
      ++count;
  return count;
}

TEST(AmrDrawerTest, StateFollowsTheBodiesAndTheDrawingTheFloor) {
  amr::AmrParams params;  // the tiny preset, 2 people and a scripted robot
  params.num_people = 2;
  params.num_other_robots = 1;
  EpisodeRecording recorder(std::make_shared<const amr::AmrModel>(params), 11);
  auto& env = static_cast<amr::AmrEnv&>(recorder.env());
  const float forward[2] = {1, 0};
  for (int step = 0; step < 15; ++step) recorder.step({forward, nullptr});
  const RolloutEpisode& episode = recorder.episode();

  const nlohmann::json& scene = episode.scene;
  const amr::AmrFloorPlan& plan = env.model().floor_plan();
  EXPECT_EQ(scene.at("solid_blocks").size(), plan.solid_blocks().size());
  EXPECT_EQ(scene.at("pick_points").size(), plan.pick_points().size());
  EXPECT_EQ(scene.at("lidar_angles").size(), static_cast<size_t>(params.lidar_rays));
  EXPECT_DOUBLE_EQ(scene.at("map_size_m").at(0).get<double>(), plan.width() * params.cell_size_m);

  const nlohmann::json& state = episode.steps.back().state;
  const amr::Pose pose = env.robot_pose();
  EXPECT_NEAR(state.at("robot").at(0).get<double>(), pose.position.x, 1e-3);
  EXPECT_NEAR(state.at("robot").at(1).get<double>(), pose.position.y, 1e-3);
  EXPECT_NEAR(state.at("robot").at(2).get<double>(), pose.angle, 1e-4);
  ASSERT_EQ(state.at("lidar_m").size(), static_cast<size_t>(params.lidar_rays));
  for (int ray = 0; ray < params.lidar_rays; ++ray)
    EXPECT_NEAR(state.at("lidar_m").at(ray).get<double>(), env.lidar()[ray] * params.lidar_range_m,
                1e-3);
  ASSERT_EQ(state.at("people").size(), 2u);
  ASSERT_EQ(state.at("other_robots").size(), 1u);
  EXPECT_NEAR(state.at("other_robots").at(0).at(0).get<double>(), env.obstacle_position(2).x, 1e-3);
  EXPECT_EQ(state.at("goal").get<int>(), env.goal());
  EXPECT_EQ(state.at("picks").get<int>(), env.picks());
  EXPECT_EQ(state.at("collisions").get<int>(), env.collisions());
  for (const RolloutStep& step : episode.steps) EXPECT_TRUE(compact(step.state)) << step.state;
  EXPECT_TRUE(compact(scene));
  EXPECT_GT(episode.steps.back().kpis[3], 0);  // path length so far
  EXPECT_EQ(episode.steps[0].kpis[1], 0);      // picks per hour before any time passed

  const std::unique_ptr<SceneDrawer> drawer = make_amr_drawer();
  ASSERT_NE(drawer, nullptr);
  expect_drawable(*drawer, episode);
  const EpisodePicture picture = drawer->draw(episode);
  EXPECT_FALSE(picture.background.bounds().y_up);  // map rows downwards
  // Four outer walls and the shelves; a ring per pick point.
  EXPECT_EQ(shapes_of(picture.background, ShapeKind::rect).size(), 4 + plan.solid_blocks().size());
  EXPECT_EQ(shapes_of(picture.background, ShapeKind::circle).size(), plan.pick_points().size());

  const Drawing& last = picture.frames.back();
  const auto robot_radius = static_cast<float>(params.robot_radius_m);
  const auto person_radius = static_cast<float>(params.person_radius_m);
  EXPECT_EQ(circles_at(last, pose.position.x, pose.position.y, robot_radius), 1);
  for (int person = 0; person < 2; ++person)
    EXPECT_EQ(circles_at(last, env.obstacle_position(person).x, env.obstacle_position(person).y,
                         person_radius),
              1);
  EXPECT_EQ(circles_at(last, env.obstacle_position(2).x, env.obstacle_position(2).y, robot_radius),
            1);
  // The goal, two people, the scripted robot and ours.
  EXPECT_EQ(shapes_of(last, ShapeKind::circle).size(), 5u);
  // The lidar: out to each ray's hit and back to the centre, in one line.
  const std::vector<const Shape*> lines = shapes_of(last, ShapeKind::polyline);
  ASSERT_EQ(lines.size(), 2u);  // the rays, the heading
  EXPECT_EQ(lines[0]->points.size(), 2 + 4 * static_cast<size_t>(params.lidar_rays));
  // Driving forward moved the robot.
  const nlohmann::json& start = episode.steps[0].state.at("robot");
  EXPECT_EQ(circles_at(last, start.at(0).get<double>(), start.at(1).get<double>(), robot_radius),
            0);
  EXPECT_EQ(circles_at(picture.frames[0], start.at(0).get<double>(), start.at(1).get<double>(),
                       robot_radius),
            1);
}

TEST(AmrDrawerTest, DrawsAFloorWithoutMovingObstacles) {
  amr::AmrParams params;
  params.num_people = 0;
  params.num_other_robots = 0;
  EpisodeRecording recorder(std::make_shared<const amr::AmrModel>(params), 2);
  const nlohmann::json& state = recorder.episode().steps[0].state;
  EXPECT_TRUE(state.at("people").is_array() && state.at("people").empty());
  EXPECT_TRUE(state.at("other_robots").is_array() && state.at("other_robots").empty());
  const EpisodePicture picture = make_amr_drawer()->draw(recorder.episode());
  EXPECT_EQ(shapes_of(picture.frames[0], ShapeKind::circle).size(), 2u);  // the goal, the robot
}

}  // namespace
}  // namespace twinrl::viewer

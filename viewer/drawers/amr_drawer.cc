// The Amr floor seen from above, in metres with map rows downwards (y down,
// as the Warehouse map it is read from): shelves and walls, the pick points
// with the current one highlighted, people, the scripted robots, and the robot
// with its heading and lidar rays.
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "viewer/drawers/drawers.h"

namespace twinrl::viewer {
namespace {

constexpr Color kFloor = Color::rgb(236, 236, 230);
constexpr Color kWall = Color::rgb(70, 70, 75);
constexpr Color kShelf = Color::rgb(150, 110, 70);
constexpr Color kShelfEdge = Color::rgb(100, 70, 40);
constexpr Color kPickPoint = Color::rgb(120, 120, 120, 110);
constexpr Color kGoal = Color::rgb(255, 150, 0, 120);
constexpr Color kGoalEdge = Color::rgb(230, 110, 0);
constexpr Color kLidar = Color::rgb(220, 40, 40, 70);
constexpr Color kPerson = Color::rgb(60, 110, 220);
constexpr Color kOtherRobot = Color::rgb(150, 150, 160);
constexpr Color kRobot = Color::rgb(40, 170, 90);
constexpr Color kOutline = Color::rgb(30, 30, 30);
constexpr Color kText = Color::rgb(255, 255, 255);

float number(const nlohmann::json& json, const char* key) {
  return json.at(key).get<float>();
}

class AmrDrawer : public StepDrawer {
 protected:
  Drawing background(const nlohmann::json& scene) const override {
    const float width = scene.at("map_size_m").at(0).get<float>();
    const float height = scene.at("map_size_m").at(1).get<float>();
    const float wall = number(scene, "cell_size_m");  // the outer walls are a cell thick
    Drawing drawing({-wall, -wall, width + wall, height + wall, false}, kFloor);
    drawing.rect(-wall, -wall, width + 2 * wall, wall, kWall);
    drawing.rect(-wall, height, width + 2 * wall, wall, kWall);
    drawing.rect(-wall, 0, wall, height, kWall);
    drawing.rect(width, 0, wall, height, kWall);
    const float edge = 0.03f * wall;
    for (const nlohmann::json& block : scene.at("solid_blocks"))
      drawing.rect(block.at(0).get<float>(), block.at(1).get<float>(), block.at(2).get<float>(),
                   block.at(3).get<float>(), kShelf, kShelfEdge, edge);
    const float pick_radius = number(scene, "pick_radius_m");
    for (const nlohmann::json& pick : scene.at("pick_points"))
      drawing.circle(pick.at(0).get<float>(), pick.at(1).get<float>(), pick_radius, Color::none(),
                     kPickPoint, edge);
    return drawing;
  }

  void foreground(const nlohmann::json& scene, const nlohmann::json& state,
                  Drawing& out) const override {
    const float edge = 0.03f * number(scene, "cell_size_m");
    const nlohmann::json& goal = scene.at("pick_points").at(state.at("goal").get<size_t>());
    out.circle(goal.at(0).get<float>(), goal.at(1).get<float>(), number(scene, "pick_radius_m"),
               kGoal, kGoalEdge, 2 * edge);

    const nlohmann::json& robot = state.at("robot");
    const float x = robot.at(0).get<float>(), y = robot.at(1).get<float>();
    const float heading = robot.at(2).get<float>();
    // Every ray in one line, out from the robot's centre and back.
    const nlohmann::json& angles = scene.at("lidar_angles");
    const nlohmann::json& ranges = state.at("lidar_m");
    std::vector<float> rays = {x, y};
    for (size_t ray = 0; ray < ranges.size(); ++ray) {
      const float angle = heading + angles.at(ray).get<float>();
      const float range = ranges.at(ray).get<float>();
      rays.insert(rays.end(), {x + range * std::cos(angle), y + range * std::sin(angle), x, y});
    }
    if (rays.size() >= 4) out.polyline(std::move(rays), kLidar, edge);

    const float person_radius = number(scene, "person_radius_m");
    const float robot_radius = number(scene, "robot_radius_m");
    for (const nlohmann::json& person : state.at("people"))
      out.circle(person.at(0).get<float>(), person.at(1).get<float>(), person_radius, kPerson,
                 kOutline, edge);
    for (const nlohmann::json& other : state.at("other_robots"))
      out.circle(other.at(0).get<float>(), other.at(1).get<float>(), robot_radius, kOtherRobot,
                 kOutline, edge);

    out.circle(x, y, robot_radius, kRobot, kOutline, edge);
    out.polyline({x, y, x + robot_radius * std::cos(heading), y + robot_radius * std::sin(heading)},
                 kOutline, 3 * edge);

    // In the top wall, which the map leaves free.
    const float wall = number(scene, "cell_size_m");
    out.text(-0.8f * wall, -0.3f * wall,
             "picks " + std::to_string(state.at("picks").get<int>()) + "   collisions " +
                 std::to_string(state.at("collisions").get<int>()),
             0.5f * wall, kText);
  }
};

}  // namespace

std::unique_ptr<SceneDrawer> make_amr_drawer() {
  return std::make_unique<AmrDrawer>();
}

}  // namespace twinrl::viewer

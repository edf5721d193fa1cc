// The Lander seen from the side, in metres, y up: the moon surface with the
// pad's flags, and the lander's hull, legs and engine flames.
#include <array>
#include <cmath>
#include <memory>
#include <vector>

#include "viewer/drawers/drawers.h"

namespace twinrl::viewer {
namespace {

constexpr Color kSky = Color::rgb(12, 14, 38);
constexpr Color kGround = Color::rgb(200, 200, 205);
constexpr Color kGroundEdge = Color::rgb(140, 140, 150);
constexpr Color kPole = Color::rgb(255, 255, 255);
constexpr Color kFlag = Color::rgb(204, 204, 0);
constexpr Color kHull = Color::rgb(128, 102, 230);
constexpr Color kHullEdge = Color::rgb(77, 77, 128);
constexpr Color kLegInAir = Color::rgb(128, 102, 230);
constexpr Color kLegOnGround = Color::rgb(80, 200, 120);
constexpr Color kFlame = Color::rgb(255, 150, 30, 230);

constexpr float kEdgeWidth = 0.04f;
constexpr float kFlagPoleHeight = 50 / 30.0f;  // Gymnasium's 50 pixels
constexpr float kMainFlameLength = 1.0f;       // at full throttle (m)
constexpr float kMainFlameHalfWidth = 0.15f;
constexpr float kSideFlameLength = 0.6f;
constexpr float kSideFlameHalfWidth = 0.07f;
// A box's corners in half sizes, counter-clockwise.
constexpr std::array<std::array<float, 2>, 4> kBoxCorners = {{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}}};

// A body's pose: position (m) and angle (rad, counter-clockwise).
struct Pose {
  float x, y, angle;

  explicit Pose(const nlohmann::json& xya)
      : x(xya.at(0).get<float>()), y(xya.at(1).get<float>()), angle(xya.at(2).get<float>()) {}

  // Appends the world coordinates of the body-frame point (px, py).
  void place(float px, float py, std::vector<float>& points) const {
    const float c = std::cos(angle), s = std::sin(angle);
    points.push_back(x + c * px - s * py);
    points.push_back(y + s * px + c * py);
  }
};

// A flame from the body-frame point `nozzle` along the unit direction
// (dx, dy), `length` long, as a triangle in world coordinates.
std::vector<float> flame(const Pose& hull, float nozzle_x, float nozzle_y, float dx, float dy,
                         float length, float half_width) {
  std::vector<float> points;
  hull.place(nozzle_x - dy * half_width, nozzle_y + dx * half_width, points);
  hull.place(nozzle_x + dx * length, nozzle_y + dy * length, points);
  hull.place(nozzle_x + dy * half_width, nozzle_y - dx * half_width, points);
  return points;
}

class LanderDrawer : public StepDrawer {
 protected:
  Drawing background(const nlohmann::json& scene) const override {
    const nlohmann::json& size = scene.at("world_size_m");
    const float width = size.at(0).get<float>(), height = size.at(1).get<float>();
    Drawing drawing({0, 0, width, height, true}, kSky);

    std::vector<float> ground;
    for (const nlohmann::json& point : scene.at("terrain")) {
      ground.push_back(point.at(0).get<float>());
      ground.push_back(point.at(1).get<float>());
    }
    ground.insert(ground.end(), {width, 0, 0, 0});  // closed along the bottom of the screen
    drawing.polygon(std::move(ground), kGround, kGroundEdge, kEdgeWidth);

    const nlohmann::json& pad = scene.at("pad");  // left x, right x, height
    const float pad_y = pad.at(2).get<float>();
    for (int side = 0; side < 2; ++side) {
      const float x = pad.at(side).get<float>();
      const float top = pad_y + kFlagPoleHeight;
      drawing.polyline({x, pad_y, x, top}, kPole, kEdgeWidth);
      drawing.polygon({x, top, x, top - 0.4f, x + 0.8f, top - 0.2f}, kFlag);
    }
    return drawing;
  }

  void foreground(const nlohmann::json& scene, const nlohmann::json& state,
                  Drawing& out) const override {
    const Pose hull(state.at("hull"));

    // Flames first, so that the hull covers their roots.
    const float main_throttle = state.at("main_throttle").get<float>();
    if (main_throttle > 0) {
      const nlohmann::json& nozzle = scene.at("main_nozzle");
      out.polygon(flame(hull, nozzle.at(0).get<float>(), nozzle.at(1).get<float>(), 0, -1,
                        kMainFlameLength * main_throttle, kMainFlameHalfWidth),
                  kFlame);
    }
    const float side_throttle = state.at("side_throttle").get<float>();
    if (side_throttle != 0) {
      // Left engine (negative throttle) first; each fires outwards from its side.
      const nlohmann::json& nozzle = scene.at("side_nozzles").at(side_throttle < 0 ? 0 : 1);
      const float nozzle_x = nozzle.at(0).get<float>();
      out.polygon(flame(hull, nozzle_x, nozzle.at(1).get<float>(), nozzle_x > 0 ? 1.0f : -1.0f, 0,
                        kSideFlameLength * std::abs(side_throttle), kSideFlameHalfWidth),
                  kFlame);
    }

    const nlohmann::json& leg_size = scene.at("leg_size_m");
    const float half_width = leg_size.at(0).get<float>() / 2;
    const float half_height = leg_size.at(1).get<float>() / 2;
    const nlohmann::json& legs = state.at("legs");
    for (size_t leg = 0; leg < legs.size(); ++leg) {
      const Pose pose(legs.at(leg));
      std::vector<float> corners;
      for (const auto& [cx, cy] : kBoxCorners)
        pose.place(cx * half_width, cy * half_height, corners);
      const bool on_ground = state.at("leg_contact").at(leg).get<int>() != 0;
      out.polygon(std::move(corners), on_ground ? kLegOnGround : kLegInAir, kHullEdge, kEdgeWidth);
    }

    std::vector<float> outline;
    for (const nlohmann::json& vertex : scene.at("hull"))
      hull.place(vertex.at(0).get<float>(), vertex.at(1).get<float>(), outline);
    out.polygon(std::move(outline), kHull, kHullEdge, kEdgeWidth);
  }
};

}  // namespace

std::unique_ptr<SceneDrawer> make_lander_drawer() {
  return std::make_unique<LanderDrawer>();
}

}  // namespace twinrl::viewer

// CartPole: the track with its limits, the cart and the pole (y up, metres).
#include <cmath>

#include "viewer/drawers/drawers.h"

namespace twinrl::viewer {
namespace {

constexpr float kCartWidth = 0.5f, kCartHeight = 0.3f, kWheelRadius = 0.06f;
constexpr float kMargin = 0.6f;  // beyond the limits, so that a cart leaving them shows

constexpr Color kBackground = Color::rgb(247, 247, 244);
constexpr Color kTrack = Color::rgb(150, 155, 162);
constexpr Color kLimit = Color::rgb(208, 71, 62);
constexpr Color kCart = Color::rgb(59, 110, 165);
constexpr Color kWheel = Color::rgb(60, 63, 68);
constexpr Color kPole = Color::rgb(201, 138, 75);

class CartPoleDrawer final : public StepDrawer {
 protected:
  Drawing background(const nlohmann::json& scene) const override {
    const auto limit = scene.at("position_limit_m").get<float>();
    const auto pole = scene.at("pole_length_m").get<float>();
    const float half_width = limit + kMargin;
    Drawing drawing({-half_width, -0.4f, half_width, kWheelRadius + kCartHeight + pole + 0.3f},
                    kBackground);
    drawing.polyline({-half_width, 0, half_width, 0}, kTrack, 0.03f);
    for (float x : {-limit, limit}) drawing.polyline({x, -0.2f, x, 0.4f}, kLimit, 0.04f);
    drawing.polyline({0, -0.1f, 0, 0.1f}, kTrack, 0.03f);
    return drawing;
  }

  void foreground(const nlohmann::json& scene, const nlohmann::json& state,
                  Drawing& out) const override {
    const auto pole = scene.at("pole_length_m").get<float>();
    const auto x = state.at("cart_position_m").get<float>();
    const auto angle = state.at("pole_angle_rad").get<float>();
    for (float wheel : {-0.3f, 0.3f})
      out.circle(x + wheel * kCartWidth, kWheelRadius, kWheelRadius, kWheel);
    out.rect(x - kCartWidth / 2, kWheelRadius, kCartWidth, kCartHeight, kCart);
    const float pivot = kWheelRadius + kCartHeight;
    out.polyline({x, pivot, x + pole * std::sin(angle), pivot + pole * std::cos(angle)}, kPole,
                 0.08f);
    out.circle(x, pivot, 0.05f, kWheel);
  }
};

}  // namespace

std::unique_ptr<SceneDrawer> make_cartpole_drawer() {
  return std::make_unique<CartPoleDrawer>();
}

}  // namespace twinrl::viewer

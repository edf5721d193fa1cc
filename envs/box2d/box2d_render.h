#pragma once
// Numbers of the Box2D envs' render scene and state (Env::render_scene and
// render_state), rounded so that rollout files stay compact: a float written
// as a double takes 17 digits, millimetres need 3 decimals.
#include <nlohmann/json.hpp>

namespace twinrl {

inline constexpr int kMetreDecimals = 3;     // 1 mm
inline constexpr int kAngleDecimals = 4;     // 0.1 mrad
inline constexpr int kFractionDecimals = 3;  // throttles and other fractions of 1

// `value` rounded to `decimals` digits after the point.
double round_to_decimals(double value, int decimals);

// A length in metres, rounded to the millimetre.
inline double metres(double value) {
  return round_to_decimals(value, kMetreDecimals);
}
// [x, y] in metres, rounded to the millimetre.
nlohmann::json point_json(double x, double y);
// [x, y, angle]: metres to the millimetre, radians to 0.1 mrad.
nlohmann::json pose_json(double x, double y, double angle);

}  // namespace twinrl

#include "envs/box2d/box2d_render.h"

#include <cmath>

namespace twinrl {

double round_to_decimals(double value, int decimals) {
  // Dividing by an exact power of ten gives the double nearest the decimal
  // number, which JSON then writes in its few digits.
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

nlohmann::json point_json(double x, double y) {
  return {metres(x), metres(y)};
}

nlohmann::json pose_json(double x, double y, double angle) {
  return {metres(x), metres(y), round_to_decimals(angle, kAngleDecimals)};
}

}  // namespace twinrl

#pragma once
// Where the grip should be to push a box toward a target: behind the box, on
// the line from the target through the box's centre, at the centre's height,
// just clear of the face it pushes. Push's dense reward leads the grip there,
// and the scripted baseline pushes from there.
#include <array>
#include <cmath>

namespace twinrl::robot {

// Gap between the grip site and the box face while pushing (m): about the
// thickness of the closed fingertips.
inline constexpr double kPushClearance = 0.02;

// `box`: its centre; `half_size`: half its width. The box's centre itself
// once it is on the target (there is no direction to push in).
inline std::array<double, 3> push_point(const double* box, const std::array<double, 3>& target,
                                        double half_size) {
  const double dx = target[0] - box[0], dy = target[1] - box[1];
  const double remaining = std::hypot(dx, dy);
  if (remaining < 1e-9) return {box[0], box[1], box[2]};
  const double offset = (half_size + kPushClearance) / remaining;
  return {box[0] - dx * offset, box[1] - dy * offset, box[2]};
}

}  // namespace twinrl::robot

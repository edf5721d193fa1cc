#include "twins/estimate.h"

#include <cmath>
#include <numbers>

namespace twinrl {

// Newton on the upper tail Q(z) = (1 - confidence) / 2 from z = 0, which
// converges monotonically because Q is convex for z > 0.
double two_sided_normal_quantile(double confidence) {
  const double target = 0.5 * (1 - confidence);
  double z = 0;
  for (int iteration = 0; iteration < 100; ++iteration) {
    const double upper_tail = 0.5 * std::erfc(z / std::numbers::sqrt2);
    const double density = std::exp(-0.5 * z * z) / std::sqrt(2 * std::numbers::pi);
    const double step = (upper_tail - target) / density;
    z += step;
    if (std::abs(step) < 1e-12) break;
  }
  return z;
}

}  // namespace twinrl

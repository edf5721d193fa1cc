#include "twins/ks_distance.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace twinrl {

double ks_distance(std::span<const double> first, std::span<const double> second) {
  if (first.empty() || second.empty()) return first.empty() == second.empty() ? 0.0 : 1.0;
  std::vector<double> a(first.begin(), first.end()), b(second.begin(), second.end());
  std::ranges::sort(a);
  std::ranges::sort(b);
  const double na = static_cast<double>(a.size()), nb = static_cast<double>(b.size());
  size_t i = 0, j = 0;
  double distance = 0;
  // Step both distribution functions past each value, ties together, so
  // that discrete samples (unit counts) are compared at the same points.
  while (i < a.size() && j < b.size()) {
    const double value = std::min(a[i], b[j]);
    while (i < a.size() && a[i] == value) ++i;
    while (j < b.size() && b[j] == value) ++j;
    distance =
        std::max(distance, std::fabs(static_cast<double>(i) / na - static_cast<double>(j) / nb));
  }
  return distance;
}

}  // namespace twinrl

#pragma once
// The Kolmogorov-Smirnov distance between two samples: the largest gap
// between their empirical distribution functions (0 for equal samples, 1 for
// disjoint ones). Fidelity reports use it for demand and lead times.
#include <span>

namespace twinrl {

double ks_distance(std::span<const double> first, std::span<const double> second);

}  // namespace twinrl

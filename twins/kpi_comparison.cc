#include "twins/kpi_comparison.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace twinrl {
namespace {

// The q-quantile of sorted `values` by linear interpolation between order statistics.
double quantile(const std::vector<double>& values, double q) {
  const double position = q * static_cast<double>(values.size() - 1);
  const auto below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (position - static_cast<double>(below)) * (values[above] - values[below]);
}

}  // namespace

double KpiComparison::relative_error() const {
  if (log == 0) return twin_mean == 0 ? 0.0 : 1.0;
  return (twin_mean - log) / std::fabs(log);
}

KpiComparison compare_kpi(std::string name, double log, std::vector<double> replays) {
  std::ranges::sort(replays);
  return {.name = std::move(name),
          .log = log,
          .twin_mean = std::accumulate(replays.begin(), replays.end(), 0.0) /
                       static_cast<double>(replays.size()),
          .twin_low = quantile(replays, 0.025),
          .twin_high = quantile(replays, 0.975)};
}

}  // namespace twinrl

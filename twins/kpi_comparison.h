#pragma once
// One KPI of a fidelity check: what the log shows against what the twin's
// replays of the same horizon show, for every kind of twin.
#include <string>
#include <vector>

namespace twinrl {

// The log's value and, over the twin's replays, the mean and the 2.5% and
// 97.5% quantiles (the spread a log of this length shows).
struct KpiComparison {
  std::string name;
  double log = 0;
  double twin_mean = 0, twin_low = 0, twin_high = 0;
  // (twin mean - log) / |log|; 0 when both are 0.
  double relative_error() const;
};

// The comparison of `log` with the replays' values (at least one).
KpiComparison compare_kpi(std::string name, double log, std::vector<double> replays);

}  // namespace twinrl

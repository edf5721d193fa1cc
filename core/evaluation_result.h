#pragma once
// The outcome of evaluating a policy: per-episode returns and KPIs, shared by
// `twinrl eval` (agents/evaluate.h) and the run report (viewer/page_data.h).
#include <string>
#include <utility>
#include <vector>

namespace twinrl {

struct EvaluationResult {
  std::vector<float> returns;  // one per episode
  std::vector<std::string> kpi_names;
  std::vector<std::vector<float>> kpis;  // [kpi][episode]
};

// Mean and population standard deviation of non-empty `values`.
std::pair<double, double> mean_and_std(const std::vector<float>& values);

// The mean of the per-episode differences a[i] - b[i] of two policies run on
// the same episodes (common random numbers), with the half-width of its 95%
// confidence interval (normal approximation; 0 for fewer than 2 episodes).
struct PairedDifference {
  double mean = 0;
  double half_width = 0;
};
PairedDifference paired_difference(const std::vector<float>& a, const std::vector<float>& b);

}  // namespace twinrl

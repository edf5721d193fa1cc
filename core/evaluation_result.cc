#include "core/evaluation_result.h"

#include <cmath>
#include <numeric>

namespace twinrl {

std::pair<double, double> mean_and_std(const std::vector<float>& values) {
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / values.size();
  double squares = 0;
  for (float value : values) squares += (value - mean) * (value - mean);
  return {mean, std::sqrt(squares / values.size())};
}

}  // namespace twinrl

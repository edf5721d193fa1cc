#include "core/evaluation_result.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace twinrl {

std::pair<double, double> mean_and_std(const std::vector<float>& values) {
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / values.size();
  double squares = 0;
  for (float value : values) squares += (value - mean) * (value - mean);
  return {mean, std::sqrt(squares / values.size())};
}

PairedDifference paired_difference(const std::vector<float>& a, const std::vector<float>& b) {
  const size_t n = std::min(a.size(), b.size());
  if (n == 0) return {};
  double sum = 0, square_sum = 0;
  for (size_t i = 0; i < n; ++i) {
    const double difference = static_cast<double>(a[i]) - b[i];
    sum += difference;
    square_sum += difference * difference;
  }
  const double count = static_cast<double>(n), mean = sum / count;
  if (n < 2) return {.mean = mean, .half_width = 0};
  const double variance = std::max(0.0, (square_sum - count * mean * mean) / (count - 1));
  return {.mean = mean, .half_width = 1.96 * std::sqrt(variance / count)};
}

}  // namespace twinrl

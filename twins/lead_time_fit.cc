#include "twins/lead_time_fit.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace twinrl {
namespace {

// Upper tail of the chi-square distribution, by Wilson and Hilferty's normal
// approximation of its cube root (accurate to a few thousandths for the
// degrees of freedom of a lead-time range).
double chi_square_upper_tail(double statistic, int degrees) {
  if (degrees <= 0) return 1;
  const double k = degrees;
  const double z = (std::cbrt(statistic / k) - (1 - 2 / (9 * k))) / std::sqrt(2 / (9 * k));
  return 0.5 * std::erfc(z / std::sqrt(2.0));
}

// How far beyond the observed extreme the true end of a uniform range can
// lie: the largest j with P(all n draws within the observed span | the range
// is j wider) = (span / (span + j))^n >= 1 - confidence.
int64_t plausible_extension(int64_t span, int64_t shipments, double confidence) {
  const double alpha = 1 - confidence;
  int64_t j = 0;
  while (j < 1000 && std::pow(static_cast<double>(span) / static_cast<double>(span + j + 1),
                              static_cast<double>(shipments)) >= alpha)
    ++j;
  return j;
}

}  // namespace

LeadTimeFit fit_lead_time(std::span<const int64_t> lead_times, double confidence,
                          int64_t fallback_shortest, int64_t fallback_longest) {
  LeadTimeFit fit;
  fit.shipments = std::ssize(lead_times);
  if (lead_times.empty()) {
    const auto guess = [](int64_t value) {
      const double v = static_cast<double>(value);
      return Estimate{.value = v, .low = v, .high = v, .identified = false};
    };
    fit.shortest = guess(fallback_shortest);
    fit.longest = guess(fallback_longest);
    fit.fixed = fallback_shortest == fallback_longest;
    return fit;
  }
  const auto [low_it, high_it] = std::ranges::minmax_element(lead_times);
  const int64_t low = *low_it, high = *high_it, span = high - low + 1;
  fit.fixed = low == high;
  const int64_t extension = plausible_extension(span, fit.shipments, confidence);
  fit.shortest = {.value = static_cast<double>(low),
                  .low = static_cast<double>(std::max<int64_t>(0, low - extension)),
                  .high = static_cast<double>(low)};
  fit.longest = {.value = static_cast<double>(high),
                 .low = static_cast<double>(high),
                 .high = static_cast<double>(high + extension)};
  if (!fit.fixed) {
    std::vector<int64_t> counts(static_cast<size_t>(span));
    for (int64_t lead : lead_times) ++counts[static_cast<size_t>(lead - low)];
    const double expected = static_cast<double>(fit.shipments) / static_cast<double>(span);
    double statistic = 0;
    for (int64_t count : counts)
      statistic += (static_cast<double>(count) - expected) *
                   (static_cast<double>(count) - expected) / expected;
    fit.uniform_p_value = chi_square_upper_tail(statistic, static_cast<int>(span - 1));
  }
  return fit;
}

}  // namespace twinrl

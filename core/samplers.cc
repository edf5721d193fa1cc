#include "core/samplers.h"

#include <array>
#include <cmath>
#include <numbers>

namespace twinrl {
namespace {

// log(k!) without std::lgamma, whose glibc version writes a global (signgam).
double log_factorial(int64_t k) {
  static const std::array<double, 16> table = [] {
    std::array<double, 16> values{};
    for (size_t i = 1; i < values.size(); ++i)
      values[i] = values[i - 1] + std::log(static_cast<double>(i));
    return values;
  }();
  if (k < static_cast<int64_t>(table.size())) return table[k];
  // Stirling's series for log Gamma(x) at x = k + 1; the error is below 1e-12 here.
  const double x = static_cast<double>(k) + 1.0;
  const double inv = 1.0 / x, inv2 = inv * inv;
  return (x - 0.5) * std::log(x) - x + 0.5 * std::log(2 * std::numbers::pi) +
         inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 / 1260));
}

int64_t poisson_by_inversion(Rng& rng, double mean) {
  double probability = std::exp(-mean);
  double cumulative = probability;
  const double u = rng.uniform();
  int64_t k = 0;
  while (u > cumulative && probability > 0) {
    ++k;
    probability *= mean / static_cast<double>(k);
    cumulative += probability;
  }
  return k;
}

int64_t poisson_by_ptrs(Rng& rng, double mean) {
  const double sqrt_mean = std::sqrt(mean), log_mean = std::log(mean);
  const double b = 0.931 + 2.53 * sqrt_mean;
  const double a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double v_r = 0.9277 - 3.6224 / (b - 2);
  while (true) {
    const double u = rng.uniform() - 0.5;
    const double v = rng.uniform();
    const double us = 0.5 - std::abs(u);
    const auto k = static_cast<int64_t>(std::floor((2 * a / us + b) * u + mean + 0.43));
    if (us >= 0.07 && v <= v_r) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
        -mean + static_cast<double>(k) * log_mean - log_factorial(k))
      return k;
  }
}

}  // namespace

double standard_normal(Rng& rng) {
  const double radius = std::sqrt(-2.0 * std::log(1.0 - rng.uniform()));
  return radius * std::cos(2 * std::numbers::pi * rng.uniform());
}

double gamma_variate(Rng& rng, double shape, double scale) {
  if (shape < 1) {
    // Boost to shape + 1 and scale back down (Marsaglia and Tsang, section 6).
    const double boost = std::pow(1.0 - rng.uniform(), 1.0 / shape);
    return gamma_variate(rng, shape + 1, scale) * boost;
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9 * d);
  while (true) {
    const double x = standard_normal(rng);
    double v = 1 + c * x;
    if (v <= 0) continue;
    v = v * v * v;
    const double u = rng.uniform();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
    if (std::log(u) < 0.5 * x * x + d * (1 - v + std::log(v))) return d * v * scale;
  }
}

int64_t poisson_variate(Rng& rng, double mean) {
  if (mean <= 0) return 0;
  return mean < 10 ? poisson_by_inversion(rng, mean) : poisson_by_ptrs(rng, mean);
}

int64_t negative_binomial_variate(Rng& rng, double mean, double dispersion) {
  if (mean <= 0) return 0;
  return poisson_variate(rng, gamma_variate(rng, dispersion, mean / dispersion));
}

int64_t uniform_integer(Rng& rng, int64_t low, int64_t high) {
  return low + static_cast<int64_t>(rng.below(static_cast<uint64_t>(high - low + 1)));
}

}  // namespace twinrl

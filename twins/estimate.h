#pragma once
// A calibrated quantity with its confidence interval.
namespace twinrl {

// `identified` is false when the data cannot determine the quantity (a
// singular information matrix, an estimate at a bound, no data): then value is
// the twin's guess and low/high the bounds it may lie in, and reports flag it.
struct Estimate {
  double value = 0, low = 0, high = 0;
  bool identified = true;
};

// z with P(|Z| <= z) = confidence for a standard normal Z: the half-width of a
// Wald interval in standard errors (1.96 for 0.95).
double two_sided_normal_quantile(double confidence);

}  // namespace twinrl

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

}  // namespace twinrl

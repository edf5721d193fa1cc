#pragma once
// RunningNormalizer::forward on raw arrays, with the same float arithmetic:
// a snapshot of the statistics, taken again after each update of them.
#include <cstdint>
#include <vector>

#include "agents/running_normalizer.h"

namespace twinrl {

class NormalizerKernel {
 public:
  explicit NormalizerKernel(const RunningNormalizer& normalizer);

  // Takes the normalizer's current statistics.
  void refresh();
  bool enabled() const { return normalizer_->enabled(); }
  // Normalizes `rows` rows [rows, size] into `out` (copies them when disabled).
  void apply(const float* values, int64_t rows, float* out) const;

 private:
  RunningNormalizer normalizer_;
  int64_t size_;
  std::vector<float> mean_, std_;
  float clip_;
};

}  // namespace twinrl

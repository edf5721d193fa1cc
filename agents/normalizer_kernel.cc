#include "agents/normalizer_kernel.h"

#include <algorithm>
#include <cmath>

namespace twinrl {

NormalizerKernel::NormalizerKernel(const RunningNormalizer& normalizer)
    : normalizer_(normalizer),
      size_(normalizer->mean().size(0)),
      clip_(static_cast<float>(normalizer->clip())) {
  refresh();
}

void NormalizerKernel::refresh() {
  if (!enabled()) return;
  const torch::Tensor mean = normalizer_->mean().contiguous();
  const torch::Tensor variance = normalizer_->variance().contiguous();
  mean_.resize(size_);
  std_.resize(size_);
  for (int64_t i = 0; i < size_; ++i) {
    // As RunningNormalizer::forward: float statistics, the std rounded once.
    mean_[i] = static_cast<float>(mean.data_ptr<double>()[i]);
    std_[i] =
        static_cast<float>(std::sqrt(variance.data_ptr<double>()[i] + normalizer_->epsilon()));
  }
}

void NormalizerKernel::apply(const float* values, int64_t rows, float* out) const {
  const int64_t n = rows * size_;
  if (!enabled()) {
    std::copy(values, values + n, out);
    return;
  }
  for (int64_t i = 0; i < n; ++i) {
    const int64_t k = i % size_;
    out[i] = std::clamp((values[i] - mean_[k]) / std_[k], -clip_, clip_);
  }
}

}  // namespace twinrl

#include "agents/running_normalizer.h"

namespace twinrl {

RunningNormalizerImpl::RunningNormalizerImpl(int64_t size, bool enabled, double clip,
                                             double epsilon)
    : enabled_(enabled), clip_(clip), epsilon_(epsilon) {
  const auto float64 = torch::TensorOptions().dtype(torch::kFloat64);
  mean_ = register_buffer("mean", torch::zeros({size}, float64));
  variance_ = register_buffer("variance", torch::ones({size}, float64));
  // A tiny prior count, as in the usual implementations, avoids dividing by zero.
  count_ = register_buffer("count", torch::full({}, 1e-4, float64));
}

void RunningNormalizerImpl::update(const torch::Tensor& batch) {
  if (!enabled_) return;
  torch::NoGradGuard no_grad;
  const torch::Tensor rows = batch.to(torch::kFloat64).reshape({-1, mean_.size(0)});
  const auto n = static_cast<double>(rows.size(0));
  if (n == 0) return;
  const torch::Tensor batch_mean = rows.mean(0);
  const torch::Tensor batch_variance = rows.var(0, /*unbiased=*/false);
  const torch::Tensor delta = batch_mean - mean_;
  const torch::Tensor total = count_ + n;
  mean_.add_(delta * n / total);
  const torch::Tensor m2 =
      variance_ * count_ + batch_variance * n + delta.square() * count_ * n / total;
  variance_.copy_(m2 / total);
  count_.copy_(total);
}

torch::Tensor RunningNormalizerImpl::forward(const torch::Tensor& x) const {
  if (!enabled_) return x;
  const torch::Tensor mean = mean_.to(x.scalar_type());
  const torch::Tensor std = (variance_ + epsilon_).sqrt().to(x.scalar_type());
  return ((x - mean) / std).clamp(-clip_, clip_);
}

torch::Tensor RunningNormalizerImpl::scale(const torch::Tensor& x) const {
  if (!enabled_) return x;
  const torch::Tensor std = (variance_ + epsilon_).sqrt().to(x.scalar_type());
  return (x / std).clamp(-clip_, clip_);
}

}  // namespace twinrl

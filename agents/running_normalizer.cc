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

Moments moments_of(const torch::Tensor& batch, int64_t size) {
  torch::NoGradGuard no_grad;
  const torch::Tensor rows = batch.to(torch::kFloat64).reshape({-1, size});
  if (rows.size(0) == 0)
    return {.count = 0,
            .mean = torch::zeros({size}, torch::kFloat64),
            .variance = torch::zeros({size}, torch::kFloat64)};
  return {.count = static_cast<double>(rows.size(0)),
          .mean = rows.mean(0),
          .variance = rows.var(0, /*unbiased=*/false)};
}

Moments combined(const Moments& a, const Moments& b) {
  if (b.count == 0) return a;
  if (a.count == 0) return b;
  const torch::Tensor delta = b.mean - a.mean;
  const double total = a.count + b.count;
  return {.count = total,
          .mean = a.mean + delta * b.count / total,
          .variance = (a.variance * a.count + b.variance * b.count +
                       delta.square() * a.count * b.count / total) /
                      total};
}

void RunningNormalizerImpl::update(const torch::Tensor& batch) {
  if (enabled_) merge(moments_of(batch, mean_.size(0)));
}

void RunningNormalizerImpl::merge(const Moments& batch) {
  // The buffers themselves, not copies: combined() makes new tensors before set() writes.
  if (enabled_ && batch.count > 0)
    set(combined({.count = count_.item<double>(), .mean = mean_, .variance = variance_}, batch));
}

Moments RunningNormalizerImpl::moments() const {
  return {.count = count_.item<double>(), .mean = mean_.clone(), .variance = variance_.clone()};
}

void RunningNormalizerImpl::set(const Moments& moments) {
  torch::NoGradGuard no_grad;
  mean_.copy_(moments.mean);
  variance_.copy_(moments.variance);
  count_.fill_(moments.count);
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

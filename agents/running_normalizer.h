#pragma once
// Running mean and variance of a stream of vectors (Chan et al.'s parallel
// update), applied as (x - mean) / sqrt(var + eps) clipped to +-clip. A torch
// module whose statistics are buffers, so they are saved with the policy and
// exported with it.
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace twinrl {

// The count, mean and (population) variance of a set of rows: what a
// running normalizer keeps, and what the ranks of a distributed run merge.
struct Moments {
  double count = 0;
  torch::Tensor mean = {}, variance = {};  // float64, [size]
};

// The moments of rows [n, size] (or [n] when size is 1).
Moments moments_of(const torch::Tensor& batch, int64_t size);
// The moments of the union of two sets (Chan et al.); `a` may be empty (count 0).
Moments combined(const Moments& a, const Moments& b);

class RunningNormalizerImpl : public torch::nn::Module {
 public:
  // A disabled normalizer passes values through unchanged.
  RunningNormalizerImpl(int64_t size, bool enabled, double clip, double epsilon = 1e-8);

  // Adds a batch of rows [n, size] (or [n] when size is 1) to the statistics.
  void update(const torch::Tensor& batch);
  // Adds a batch given by its moments.
  void merge(const Moments& batch);
  // The statistics as moments (the count includes the small prior), and back.
  Moments moments() const;
  void set(const Moments& moments);
  torch::Tensor forward(const torch::Tensor& x) const;
  // Scales by the standard deviation only, without centring (for rewards).
  torch::Tensor scale(const torch::Tensor& x) const;

  bool enabled() const { return enabled_; }
  double clip() const { return clip_; }
  double epsilon() const { return epsilon_; }
  const torch::Tensor& mean() const { return mean_; }
  const torch::Tensor& variance() const { return variance_; }

 private:
  bool enabled_;
  double clip_;
  double epsilon_;
  torch::Tensor mean_, variance_, count_;  // float64 buffers
};
TORCH_MODULE(RunningNormalizer);

}  // namespace twinrl

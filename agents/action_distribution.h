#pragma once
// How a policy's outputs become actions: one categorical distribution per
// discrete dimension (Discrete, MultiDiscrete), with invalid actions masked
// out, or a diagonal Gaussian with a state-independent log-std (Box).
#include <ATen/core/Generator.h>
#include <torch/types.h>

#include <vector>

#include "core/space.h"

namespace twinrl {

class ActionDistribution {
 public:
  explicit ActionDistribution(const Space& action_space);

  bool discrete() const { return discrete_; }
  // Numbers the actor outputs per row: logits over every choice, or means.
  int64_t actor_outputs() const;
  // Numbers per action row.
  int64_t action_size() const { return action_size_; }

  // `outputs` [rows, actor_outputs()]; `log_std` [action size] (Gaussian only);
  // `mask` [rows, sum nvec] bool or undefined (discrete only).
  torch::Tensor sample(const torch::Tensor& outputs, const torch::Tensor& log_std,
                       const torch::Tensor& mask, at::Generator& generator) const;
  // The most likely action: argmax per dimension, or the mean.
  torch::Tensor mode(const torch::Tensor& outputs, const torch::Tensor& mask) const;
  // Log-probability [rows] of `actions` [rows, action size].
  torch::Tensor log_prob(const torch::Tensor& outputs, const torch::Tensor& log_std,
                         const torch::Tensor& mask, const torch::Tensor& actions) const;
  torch::Tensor entropy(const torch::Tensor& outputs, const torch::Tensor& log_std,
                        const torch::Tensor& mask) const;

 private:
  // Log-probabilities of each discrete dimension's choices, invalid ones at -1e8.
  std::vector<torch::Tensor> log_softmax_per_dimension(const torch::Tensor& outputs,
                                                       const torch::Tensor& mask) const;

  bool discrete_;
  int64_t action_size_;
  std::vector<int64_t> choices_;  // per discrete dimension
};

}  // namespace twinrl

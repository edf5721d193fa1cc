#pragma once
// ActionDistribution's arithmetic row by row on raw arrays: sampling from
// given random numbers, log-probabilities, entropies and their gradients with
// respect to the actor's outputs and the log-std. Used where LibTorch's
// per-operation cost would dominate (rollout inference, PPO's gradient).
#include <cstdint>
#include <vector>

#include "core/space.h"

namespace twinrl {

// One row's action: int64 choices per discrete dimension, or floats.
struct ActionRow {
  const int64_t* discrete = nullptr;
  const float* continuous = nullptr;
};

class DistributionKernel {
 public:
  explicit DistributionKernel(const Space& action_space);

  bool discrete() const { return discrete_; }
  int64_t action_size() const { return action_size_; }
  int64_t actor_outputs() const { return actor_outputs_; }

  // Samples one row: `noise` holds action_size() numbers, a uniform in [0, 1)
  // per discrete dimension (inverse CDF) or a standard normal per continuous
  // one. Writes the action and returns its log-probability.
  double sample(const float* outputs, const float* log_std, const bool* mask, const float* noise,
                int64_t* discrete_action, float* continuous_action) const;

  struct Terms {
    double log_prob = 0, entropy = 0;
  };
  // `mask`: mask_size() entries of the row, or null (all allowed).
  Terms evaluate(const float* outputs, const float* log_std, const bool* mask,
                 ActionRow action) const;
  // The gradient of log_prob_weight * log_prob + entropy_weight * entropy:
  // written into `outputs_grad` (actor_outputs() numbers) and added to
  // `log_std_grad` (action_size() numbers; Gaussian only).
  void gradient(const float* outputs, const float* log_std, const bool* mask, ActionRow action,
                double log_prob_weight, double entropy_weight, float* outputs_grad,
                double* log_std_grad) const;

 private:
  // Log-probabilities of one discrete dimension's `n` choices into
  // log_probs_ (masked ones at ActionDistribution's masked logit); returns
  // the dimension's entropy.
  double log_softmax(const float* logits, const bool* mask, int64_t n) const;

  bool discrete_;
  int64_t action_size_, actor_outputs_;
  std::vector<int64_t> choices_;
  mutable std::vector<double> log_probs_;  // scratch of the widest dimension
};

}  // namespace twinrl

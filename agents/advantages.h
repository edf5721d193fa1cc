#pragma once
// Generalized advantage estimation (Schulman et al. 2016) over a rollout.
#include <torch/types.h>

namespace twinrl {

struct Advantages {
  torch::Tensor advantages;  // [T, rows]
  torch::Tensor returns;     // [T, rows]: advantages + values, the critic's targets
};

// rewards, values, episode_ended: [T, rows] float; next_values: [rows], the
// values of the observations after the last step. An episode that ended at
// step t cuts the trace there; a truncated one has had gamma * V(final
// observation) added to its reward already, which is its bootstrap.
Advantages generalized_advantages(const torch::Tensor& rewards, const torch::Tensor& values,
                                  const torch::Tensor& episode_ended,
                                  const torch::Tensor& next_values, double gamma, double lambda);

}  // namespace twinrl

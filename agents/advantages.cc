#include "agents/advantages.h"

namespace twinrl {

Advantages generalized_advantages(const torch::Tensor& rewards, const torch::Tensor& values,
                                  const torch::Tensor& episode_ended,
                                  const torch::Tensor& next_values, double gamma, double lambda) {
  // A plain loop over contiguous float arrays: T small tensor ops per row
  // would cost far more than the arithmetic.
  const torch::Tensor r = rewards.to(torch::kFloat32).contiguous();
  const torch::Tensor v = values.to(torch::kFloat32).contiguous();
  const torch::Tensor ended = episode_ended.to(torch::kFloat32).contiguous();
  const torch::Tensor last = next_values.to(torch::kFloat32).contiguous();
  const int64_t steps = r.size(0), rows = r.size(1);
  torch::Tensor advantages = torch::zeros_like(r);
  const float* reward = r.data_ptr<float>();
  const float* value = v.data_ptr<float>();
  const float* done = ended.data_ptr<float>();
  float* advantage = advantages.data_ptr<float>();
  for (int64_t row = 0; row < rows; ++row) {
    double running = 0;
    double next_value = last.data_ptr<float>()[row];
    for (int64_t t = steps - 1; t >= 0; --t) {
      const int64_t i = t * rows + row;
      const double continues = 1.0 - done[i];
      const double delta = reward[i] + gamma * next_value * continues - value[i];
      running = delta + gamma * lambda * continues * running;
      advantage[i] = static_cast<float>(running);
      next_value = value[i];
    }
  }
  return {advantages, advantages + v};
}

}  // namespace twinrl

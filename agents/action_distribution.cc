#include "agents/action_distribution.h"

#include <cmath>
#include <numbers>
#include <numeric>

namespace twinrl {
namespace {

// The logit that masked actions get: exp() of it is exactly 0 in float32.
constexpr double kMaskedLogit = -1e8;

}  // namespace

ActionDistribution::ActionDistribution(const Space& action_space)
    : discrete_(action_space.is_discrete()),
      action_size_(action_space.size()),
      choices_(action_space.nvec()) {}

int64_t ActionDistribution::actor_outputs() const {
  return discrete_ ? std::accumulate(choices_.begin(), choices_.end(), int64_t{0}) : action_size_;
}

std::vector<torch::Tensor> ActionDistribution::log_softmax_per_dimension(
    const torch::Tensor& outputs, const torch::Tensor& mask) const {
  torch::Tensor logits = outputs;
  if (mask.defined()) logits = logits.masked_fill(mask.logical_not(), kMaskedLogit);
  std::vector<torch::Tensor> per_dimension;
  int64_t first = 0;
  for (const int64_t n : choices_) {
    per_dimension.push_back(logits.narrow(1, first, n).log_softmax(1));
    first += n;
  }
  return per_dimension;
}

torch::Tensor ActionDistribution::sample(const torch::Tensor& outputs, const torch::Tensor& log_std,
                                         const torch::Tensor& mask,
                                         at::Generator& generator) const {
  if (!discrete_) {
    const torch::Tensor noise = at::normal(0.0, 1.0, outputs.sizes(), generator);
    return outputs + log_std.exp() * noise;
  }
  std::vector<torch::Tensor> actions;
  for (const torch::Tensor& log_probs : log_softmax_per_dimension(outputs, mask))
    actions.push_back(at::multinomial(log_probs.exp(), 1, /*replacement=*/true, generator));
  return torch::cat(actions, 1);
}

torch::Tensor ActionDistribution::mode(const torch::Tensor& outputs,
                                       const torch::Tensor& mask) const {
  if (!discrete_) return outputs;
  std::vector<torch::Tensor> actions;
  for (const torch::Tensor& log_probs : log_softmax_per_dimension(outputs, mask))
    actions.push_back(log_probs.argmax(1, /*keepdim=*/true));
  return torch::cat(actions, 1);
}

torch::Tensor ActionDistribution::log_prob(const torch::Tensor& outputs,
                                           const torch::Tensor& log_std, const torch::Tensor& mask,
                                           const torch::Tensor& actions) const {
  if (!discrete_) {
    const torch::Tensor z = (actions - outputs) / log_std.exp();
    const double log_sqrt_two_pi = 0.5 * std::log(2 * std::numbers::pi);
    return (-0.5 * z.square() - log_std - log_sqrt_two_pi).sum(1);
  }
  const auto per_dimension = log_softmax_per_dimension(outputs, mask);
  torch::Tensor total = torch::zeros({outputs.size(0)}, outputs.options());
  for (size_t d = 0; d < per_dimension.size(); ++d)
    total = total + per_dimension[d].gather(1, actions.narrow(1, d, 1)).squeeze(1);
  return total;
}

torch::Tensor ActionDistribution::entropy(const torch::Tensor& outputs,
                                          const torch::Tensor& log_std,
                                          const torch::Tensor& mask) const {
  if (!discrete_) {
    const double per_dimension = 0.5 + 0.5 * std::log(2 * std::numbers::pi);
    return (log_std + per_dimension).sum().expand({outputs.size(0)});
  }
  torch::Tensor total = torch::zeros({outputs.size(0)}, outputs.options());
  for (const torch::Tensor& log_probs : log_softmax_per_dimension(outputs, mask))
    total = total - (log_probs.exp() * log_probs).sum(1);  // masked: 0 * -1e8 = 0
  return total;
}

}  // namespace twinrl

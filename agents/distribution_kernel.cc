#include "agents/distribution_kernel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>

namespace twinrl {
namespace {

// As ActionDistribution: a masked choice's logit, whose exp() is 0.
constexpr double kMaskedLogit = -1e8;
const double kLogSqrtTwoPi = 0.5 * std::log(2 * std::numbers::pi);

}  // namespace

DistributionKernel::DistributionKernel(const Space& action_space)
    : discrete_(action_space.is_discrete()),
      action_size_(action_space.size()),
      actor_outputs_(discrete_ ? std::accumulate(action_space.nvec().begin(),
                                                 action_space.nvec().end(), int64_t{0})
                               : action_size_),
      choices_(action_space.nvec()) {
  log_probs_.resize(discrete_ ? *std::max_element(choices_.begin(), choices_.end()) : 0);
}

double DistributionKernel::log_softmax(const float* logits, const bool* mask, int64_t n) const {
  // A dimension with no allowed choice is uniform, as with every logit masked.
  const bool any_allowed = mask == nullptr || std::any_of(mask, mask + n, [](bool m) { return m; });
  const auto allowed = [&](int64_t k) { return !any_allowed || mask == nullptr || mask[k]; };
  double largest = -std::numeric_limits<double>::infinity();
  for (int64_t k = 0; k < n; ++k)
    if (allowed(k)) largest = std::max(largest, static_cast<double>(logits[k]));
  double sum = 0;
  for (int64_t k = 0; k < n; ++k)
    if (allowed(k)) sum += std::exp(logits[k] - largest);
  const double log_sum = largest + std::log(sum);
  double entropy = 0;
  for (int64_t k = 0; k < n; ++k) {
    log_probs_[k] = allowed(k) ? logits[k] - log_sum : kMaskedLogit;
    if (allowed(k)) entropy -= std::exp(log_probs_[k]) * log_probs_[k];
  }
  return entropy;
}

double DistributionKernel::sample(const float* outputs, const float* log_std, const bool* mask,
                                  const float* noise, int64_t* discrete_action,
                                  float* continuous_action) const {
  if (!discrete_) {
    for (int64_t k = 0; k < action_size_; ++k)
      continuous_action[k] = outputs[k] + std::exp(log_std[k]) * noise[k];
    return evaluate(outputs, log_std, mask, {.continuous = continuous_action}).log_prob;
  }
  double log_prob = 0;
  int64_t first = 0;
  for (size_t d = 0; d < choices_.size(); ++d) {
    const int64_t n = choices_[d];
    log_softmax(outputs + first, mask ? mask + first : nullptr, n);
    // Inverse CDF; rounding can leave the sum just under u: then the last
    // choice with any probability.
    int64_t chosen = -1;
    double cumulative = 0;
    for (int64_t k = 0; k < n; ++k) {
      const double p = std::exp(log_probs_[k]);
      if (p == 0) continue;
      chosen = k;
      cumulative += p;
      if (noise[d] < cumulative) break;
    }
    discrete_action[d] = chosen;
    log_prob += log_probs_[chosen];
    first += n;
  }
  return log_prob;
}

DistributionKernel::Terms DistributionKernel::evaluate(const float* outputs, const float* log_std,
                                                       const bool* mask, ActionRow action) const {
  Terms terms;
  if (!discrete_) {
    for (int64_t k = 0; k < action_size_; ++k) {
      const double z = (action.continuous[k] - outputs[k]) / std::exp(log_std[k]);
      terms.log_prob += -0.5 * z * z - log_std[k] - kLogSqrtTwoPi;
      terms.entropy += log_std[k] + 0.5 + kLogSqrtTwoPi;
    }
    return terms;
  }
  int64_t first = 0;
  for (size_t d = 0; d < choices_.size(); ++d) {
    terms.entropy += log_softmax(outputs + first, mask ? mask + first : nullptr, choices_[d]);
    terms.log_prob += log_probs_[action.discrete[d]];
    first += choices_[d];
  }
  return terms;
}

void DistributionKernel::gradient(const float* outputs, const float* log_std, const bool* mask,
                                  ActionRow action, double log_prob_weight, double entropy_weight,
                                  float* outputs_grad, double* log_std_grad) const {
  if (!discrete_) {
    for (int64_t k = 0; k < action_size_; ++k) {
      const double std = std::exp(log_std[k]);
      const double z = (action.continuous[k] - outputs[k]) / std;
      outputs_grad[k] = static_cast<float>(log_prob_weight * z / std);
      // d log_prob / d log_std = z^2 - 1; d entropy / d log_std = 1.
      log_std_grad[k] += log_prob_weight * (z * z - 1) + entropy_weight;
    }
    return;
  }
  int64_t first = 0;
  for (size_t d = 0; d < choices_.size(); ++d) {
    const int64_t n = choices_[d];
    const double entropy = log_softmax(outputs + first, mask ? mask + first : nullptr, n);
    for (int64_t k = 0; k < n; ++k) {
      const double p = std::exp(log_probs_[k]);
      // d log p_a / d l_k = [k == a] - p_k; d H / d l_k = -p_k (log p_k + H).
      const double log_prob_grad = (k == action.discrete[d] ? 1.0 : 0.0) - p;
      const double entropy_grad = p == 0 ? 0.0 : -p * (log_probs_[k] + entropy);
      const bool allowed = mask == nullptr || mask[first + k];
      outputs_grad[first + k] =
          allowed
              ? static_cast<float>(log_prob_weight * log_prob_grad + entropy_weight * entropy_grad)
              : 0.0f;
    }
    first += n;
  }
}

}  // namespace twinrl

#include "agents/actor_critic_kernel.h"

#include <algorithm>
#include <cmath>

#include "agents/joint_observation.h"
#include "agents/scratch_buffer.h"

namespace twinrl {
namespace {

// d max(a, b) / d a, as LibTorch's maximum: a tie splits the gradient.
double share_of_first(double a, double b) {
  return a > b ? 1.0 : a < b ? 0.0 : 0.5;
}

// d clamp(x, low, high) / d x, as LibTorch's clamp: 1 on the closed range.
double inside(double x, double low, double high) {
  return x >= low && x <= high ? 1.0 : 0.0;
}

// Row `row`'s action in a rollout of action_size numbers per row.
ActionRow action_row(const PpoRolloutView& rollout, int64_t row, int64_t action_size) {
  return {
      .discrete = rollout.discrete_actions ? rollout.discrete_actions + row * action_size : nullptr,
      .continuous =
          rollout.continuous_actions ? rollout.continuous_actions + row * action_size : nullptr};
}

}  // namespace

AdvantageMoments minibatch_advantage_moments(const float* advantages, const int64_t* index,
                                             int64_t size) {
  if (size < 1) return {};
  double mean = 0;
  for (int64_t i = 0; i < size; ++i) mean += advantages[index[i]];
  mean /= static_cast<double>(size);
  double squares = 0;
  for (int64_t i = 0; i < size; ++i) squares += std::pow(advantages[index[i]] - mean, 2);
  return {.count = static_cast<double>(size), .mean = mean, .squared_deviations = squares};
}

AdvantageScaling advantage_scaling(const AdvantageMoments& moments) {
  if (moments.count < 2) return {};
  return {.mean = moments.mean,
          .scale = 1.0 / (std::sqrt(moments.squared_deviations / (moments.count - 1)) + 1e-8)};
}

ActorCriticKernel::ActorCriticKernel(ActorCritic& policy, const PolicyNetworkConfig& network,
                                     const Space& action_space, int threads)
    : policy_(policy),
      distribution_(action_space),
      actor_(policy->actor(), network.activation),
      critic_(policy->critic(), network.activation),
      normalizer_(policy->observation_normalizer()),
      observation_size_(actor_.inputs()),
      mask_size_(action_space.mask_size()),
      critic_agents_(policy->critic_agents()),
      low_(action_space.low()),
      high_(action_space.high()),
      pool_(threads > 1 ? std::make_unique<WorkerPool>(2) : nullptr) {
  if (!distribution_.discrete()) {
    torch::Tensor log_std = policy_->log_std();
    if (!log_std.grad().defined()) log_std.mutable_grad() = torch::zeros_like(log_std);
  }
}

void ActorCriticKernel::sample(const float* normalized_observations, const bool* masks,
                               const float* noise, int64_t rows, const Sampled& out) {
  const float* outputs = nullptr;
  const float* values = nullptr;
  auto forward = [&](int part) {
    if (part == 0)
      outputs = actor_.forward(normalized_observations, rows);
    else
      values = critic_.forward(
          critic_inputs(normalized_observations, nullptr, rows, normalized_observations), rows);
  };
  actor_and_critic(forward);
  const float* log_std = distribution_.discrete() ? nullptr : policy_->log_std().data_ptr<float>();
  const int64_t action_size = distribution_.action_size();
  const int64_t outputs_per_row = distribution_.actor_outputs();
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t first = r * action_size;
    out.log_probs[r] = static_cast<float>(distribution_.sample(
        outputs + r * outputs_per_row, log_std, masks ? masks + r * mask_size_ : nullptr,
        noise + first, out.discrete_actions ? out.discrete_actions + first : nullptr,
        out.continuous_actions ? out.continuous_actions + first : nullptr));
    out.values[r] = values[r];
    if (out.env_actions != nullptr)
      for (int64_t k = 0; k < action_size; ++k)
        out.env_actions[first + k] =
            std::max(std::min(out.continuous_actions[first + k], high_[k]), low_[k]);
  }
}

PpoLossTerms ActorCriticKernel::ppo_gradient(const PpoRolloutView& rollout, const int64_t* index,
                                             int64_t size, const PpoConfig& config,
                                             std::optional<AdvantageScaling> scaling) {
  if (!config.normalize_advantages)
    scaling = AdvantageScaling{};
  else if (!scaling)
    scaling = advantage_scaling(minibatch_advantage_moments(rollout.advantages, index, size));
  gather_observations(rollout.normalized_observations, index, size);
  PpoLossTerms terms;
  double value_loss = 0;
  const std::optional<double> value_clip =
      config.clip_value_loss ? std::optional<double>(config.clip_coef) : std::nullopt;
  auto gradient = [&](int part) {
    if (part == 0)
      terms = actor_gradient(rollout, index, size, config, *scaling);
    else
      value_loss = critic_gradient(rollout, index, size, config.value_coef, value_clip);
  };
  actor_and_critic(gradient);
  terms.value_loss = value_loss;
  return terms;
}

ImitationLoss ActorCriticKernel::imitation_gradient(const PpoRolloutView& demonstrations,
                                                    const int64_t* index, int64_t size,
                                                    double value_coef) {
  gather_observations(demonstrations.normalized_observations, index, size);
  ImitationLoss loss;
  auto gradient = [&](int part) {
    if (part == 1) {
      loss.value_loss = critic_gradient(demonstrations, index, size, value_coef, std::nullopt);
      return;
    }
    const float* outputs = actor_.forward(observations_.data(), size);
    const int64_t action_size = distribution_.action_size();
    const int64_t outputs_per_row = distribution_.actor_outputs();
    const float* log_std =
        distribution_.discrete() ? nullptr : policy_->log_std().data_ptr<float>();
    grow(actor_grad_, size * outputs_per_row);
    log_std_grad_.assign(action_size, 0.0);  // computed alongside, not applied
    const double n = static_cast<double>(size);
    for (int64_t i = 0; i < size; ++i) {
      const int64_t row = index[i];
      const ActionRow action = action_row(demonstrations, row, action_size);
      const bool* mask = demonstrations.masks ? demonstrations.masks + row * mask_size_ : nullptr;
      const float* row_outputs = outputs + i * outputs_per_row;
      loss.negative_log_likelihood -=
          distribution_.evaluate(row_outputs, log_std, mask, action).log_prob;
      distribution_.gradient(row_outputs, log_std, mask, action, -1.0 / n, 0.0,
                             actor_grad_.data() + i * outputs_per_row, log_std_grad_.data());
    }
    actor_.backward(actor_grad_.data());
    if (!distribution_.discrete()) policy_->log_std().mutable_grad().zero_();
    loss.negative_log_likelihood /= n;
  };
  actor_and_critic(gradient);
  return loss;
}

void ActorCriticKernel::gather_observations(const float* normalized_observations,
                                            const int64_t* index, int64_t size) {
  grow(observations_, size * observation_size_);
  for (int64_t i = 0; i < size; ++i) {
    const float* row = normalized_observations + index[i] * observation_size_;
    std::copy(row, row + observation_size_, observations_.data() + i * observation_size_);
  }
}

const float* ActorCriticKernel::critic_inputs(const float* normalized_observations,
                                              const int64_t* index, int64_t size,
                                              const float* own) {
  if (critic_agents_ == 1) return own;
  grow(critic_inputs_, size * critic_.inputs());
  gather_joint_observations(normalized_observations, observation_size_, critic_agents_, index, size,
                            critic_inputs_.data());
  return critic_inputs_.data();
}

PpoLossTerms ActorCriticKernel::actor_gradient(const PpoRolloutView& rollout, const int64_t* index,
                                               int64_t size, const PpoConfig& config,
                                               const AdvantageScaling& scaling) {
  const float* outputs = actor_.forward(observations_.data(), size);
  const int64_t action_size = distribution_.action_size();
  const int64_t outputs_per_row = distribution_.actor_outputs();

  const float* log_std = distribution_.discrete() ? nullptr : policy_->log_std().data_ptr<float>();
  grow(actor_grad_, size * outputs_per_row);
  log_std_grad_.assign(action_size, 0.0);
  const double n = static_cast<double>(size);
  const double clip = config.clip_coef;
  PpoLossTerms terms;
  for (int64_t i = 0; i < size; ++i) {
    const int64_t row = index[i];
    const ActionRow action = action_row(rollout, row, action_size);
    const bool* mask = rollout.masks ? rollout.masks + row * mask_size_ : nullptr;
    const DistributionKernel::Terms distribution =
        distribution_.evaluate(outputs + i * outputs_per_row, log_std, mask, action);

    // The clipped surrogate, as a loss: max(-A r, -A clip(r)).
    const double log_ratio = distribution.log_prob - rollout.log_probs[row];
    const double ratio = std::exp(log_ratio);
    terms.approx_kl += (ratio - 1) - log_ratio;  // Schulman's estimator of KL(old || new)
    terms.clip_fraction += std::abs(ratio - 1) > clip ? 1.0 : 0.0;
    const double advantage = (rollout.advantages[row] - scaling.mean) * scaling.scale;
    const double unclipped = -advantage * ratio;
    const double clipped = -advantage * std::clamp(ratio, 1 - clip, 1 + clip);
    terms.policy_loss += std::max(unclipped, clipped);
    const double ratio_grad =
        -advantage * (share_of_first(unclipped, clipped) +
                      share_of_first(clipped, unclipped) * inside(ratio, 1 - clip, 1 + clip));
    terms.entropy += distribution.entropy;
    distribution_.gradient(outputs + i * outputs_per_row, log_std, mask, action,
                           ratio_grad * ratio / n, -config.entropy_coef / n,
                           actor_grad_.data() + i * outputs_per_row, log_std_grad_.data());
  }
  actor_.backward(actor_grad_.data());
  if (!distribution_.discrete()) {
    float* grad = policy_->log_std().mutable_grad().data_ptr<float>();
    for (int64_t k = 0; k < action_size; ++k) grad[k] = static_cast<float>(log_std_grad_[k]);
  }
  terms.policy_loss /= n;
  terms.entropy /= n;
  terms.approx_kl /= n;
  terms.clip_fraction /= n;
  return terms;
}

double ActorCriticKernel::critic_gradient(const PpoRolloutView& rollout, const int64_t* index,
                                          int64_t size, double value_coef,
                                          std::optional<double> value_clip) {
  const float* values = critic_.forward(
      critic_inputs(rollout.normalized_observations, index, size, observations_.data()), size);
  grow(value_grad_, size);
  const double n = static_cast<double>(size);
  double loss = 0;
  for (int64_t i = 0; i < size; ++i) {
    const int64_t row = index[i];
    // Half the squared error, clipped like the policy when asked.
    const double value = values[i];
    const double error = value - rollout.returns[row];
    double value_grad = error;
    if (!value_clip) {
      loss += 0.5 * error * error;
    } else {
      const double clip = *value_clip;
      const double old_value = rollout.values[row];
      const double moved = old_value + std::clamp(value - old_value, -clip, clip);
      const double moved_error = moved - rollout.returns[row];
      loss += 0.5 * std::max(error * error, moved_error * moved_error);
      value_grad = share_of_first(error * error, moved_error * moved_error) * error +
                   share_of_first(moved_error * moved_error, error * error) * moved_error *
                       inside(value - old_value, -clip, clip);
    }
    value_grad_[i] = static_cast<float>(value_coef * value_grad / n);
  }
  critic_.backward(value_grad_.data());
  return loss / n;
}

}  // namespace twinrl

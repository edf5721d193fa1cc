#include "agents/actor_critic.h"

#include "agents/joint_observation.h"
#include "agents/mlp.h"

namespace twinrl {

ActorCriticImpl::ActorCriticImpl(const EnvSpec& spec, const PolicyNetworkConfig& config)
    : distribution_(spec.action_space),
      normalizer_(spec.observation_space.size(), config.normalize_observations,
                  config.observation_clip),
      critic_agents_(config.centralized_critic ? spec.num_agents : 1) {
  const int64_t inputs = spec.observation_space.size();
  register_module("observation_normalizer", normalizer_);
  // Small actor output gain: near-uniform initial policy; critic gain 1 (CleanRL).
  actor_ = register_module("actor", make_mlp(inputs, config.hidden, distribution_.actor_outputs(),
                                             0.01, config.activation));
  critic_ = register_module(
      "critic", make_mlp(inputs * critic_agents_, config.hidden, 1, 1.0, config.activation));
  if (!distribution_.discrete()) {
    log_std_ = register_parameter(
        "log_std", torch::full({distribution_.action_size()}, config.initial_log_std));
    low_ = register_buffer("action_low", torch::tensor(spec.action_space.low()));
    high_ = register_buffer("action_high", torch::tensor(spec.action_space.high()));
  }
}

torch::Tensor ActorCriticImpl::actor_outputs(const torch::Tensor& observations) {
  return actor_->forward(normalizer_->forward(observations));
}

torch::Tensor ActorCriticImpl::value(const torch::Tensor& observations) {
  const torch::Tensor normalized = normalizer_->forward(observations);
  return critic_
      ->forward(critic_agents_ > 1 ? joint_observations(normalized, critic_agents_) : normalized)
      .squeeze(1);
}

torch::Tensor ActorCriticImpl::clip_to_bounds(const torch::Tensor& actions) const {
  if (distribution_.discrete()) return actions;
  return torch::max(torch::min(actions, high_), low_);
}

torch::Tensor ActorCriticImpl::act(const torch::Tensor& observations, const torch::Tensor& mask) {
  return clip_to_bounds(distribution_.mode(actor_outputs(observations), mask));
}

}  // namespace twinrl

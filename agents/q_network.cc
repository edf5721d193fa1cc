#include "agents/q_network.h"

#include <torch/nn/modules/activation.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "agents/mlp.h"

namespace twinrl {

QNetworkImpl::QNetworkImpl(const EnvSpec& spec, const DqnConfig& config)
    : normalizer_(spec.observation_space.size(), config.normalize_observations,
                  config.observation_clip) {
  if (spec.action_space.kind() != SpaceKind::kDiscrete)
    throw std::invalid_argument("DQN needs a Discrete action space; " + spec.id + " has " +
                                spec.action_space.describe());
  if (config.hidden.empty()) throw std::invalid_argument("dqn.hidden needs at least one layer");
  const int64_t actions = spec.action_space.nvec().front();
  const int64_t features = config.hidden.back();
  register_module("observation_normalizer", normalizer_);
  // The hidden layers, last one included, shared by the heads.
  const std::vector<int> inner_hidden(config.hidden.begin(), config.hidden.end() - 1);
  torso_ = make_mlp(spec.observation_space.size(), inner_hidden, features, std::sqrt(2.0), "relu");
  torso_->push_back(torch::nn::ReLU());
  register_module("torso", torso_);
  // An MLP without hidden layers is one orthogonally initialized linear layer.
  head_ = register_module("head", make_mlp(features, {}, actions, 1.0, "relu"));
  if (config.dueling)
    value_head_ = register_module("value_head", make_mlp(features, {}, 1, 1.0, "relu"));
}

torch::Tensor QNetworkImpl::forward(const torch::Tensor& observations) {
  const torch::Tensor features = torso_->forward(normalizer_->forward(observations));
  const torch::Tensor head = head_->forward(features);
  if (value_head_.is_empty()) return head;
  return value_head_->forward(features) + head - head.mean(1, /*keepdim=*/true);
}

torch::Tensor QNetworkImpl::act(const torch::Tensor& observations, const torch::Tensor& mask) {
  return mask_invalid_actions(forward(observations), mask).argmax(1, /*keepdim=*/true);
}

torch::Tensor mask_invalid_actions(const torch::Tensor& q_values, const torch::Tensor& mask) {
  if (!mask.defined()) return q_values;
  return q_values.masked_fill(mask.logical_not(), -std::numeric_limits<float>::infinity());
}

}  // namespace twinrl

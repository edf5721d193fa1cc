#pragma once
// DQN's action-value network: observation normalizer, then an MLP giving one
// Q value per action, optionally through dueling value and advantage heads
// (Wang et al. 2016). Everything an exported policy needs is inside.
#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>

#include "agents/dqn_config.h"
#include "agents/running_normalizer.h"
#include "core/env_spec.h"

namespace twinrl {

class QNetworkImpl : public torch::nn::Module {
 public:
  // Throws std::invalid_argument unless the action space is Discrete.
  QNetworkImpl(const EnvSpec& spec, const DqnConfig& config);

  RunningNormalizer& observation_normalizer() { return normalizer_; }
  const torch::nn::Sequential& torso() const { return torso_; }
  const torch::nn::Sequential& head() const { return head_; }
  // Empty unless dueling.
  const torch::nn::Sequential& value_head() const { return value_head_; }

  // Q values [rows, actions] for raw observations [rows, observation size].
  // Dueling: V(s) + A(s, a) - mean over a of A(s, a).
  torch::Tensor forward(const torch::Tensor& observations);
  // The greedy actions, int64 [rows, 1], among those `mask` allows (bool
  // [rows, actions]; undefined: all).
  torch::Tensor act(const torch::Tensor& observations, const torch::Tensor& mask);

 private:
  RunningNormalizer normalizer_;
  torch::nn::Sequential torso_{nullptr};
  torch::nn::Sequential head_{nullptr};        // Q values, or advantages when dueling
  torch::nn::Sequential value_head_{nullptr};  // dueling only
};
TORCH_MODULE(QNetwork);

// `q_values` with the actions that `mask` forbids at -infinity, so that no max
// or argmax picks them; unchanged when `mask` is undefined.
torch::Tensor mask_invalid_actions(const torch::Tensor& q_values, const torch::Tensor& mask);

}  // namespace twinrl

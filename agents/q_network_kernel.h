#pragma once
// DQN's Q-network without autograd: Q values and the gradient of the TD
// loss on the network's own parameter and gradient tensors (see
// mlp_kernel.h for why). tests/dqn_gradient_test.cc checks it against
// LibTorch's autograd.
#include <cstdint>
#include <optional>
#include <vector>

#include "agents/mlp_kernel.h"
#include "agents/normalizer_kernel.h"
#include "agents/q_network.h"

namespace twinrl {

class QNetworkKernel {
 public:
  explicit QNetworkKernel(QNetwork& network);

  int64_t actions() const { return head_.outputs(); }
  // The network's observation normalization; refresh() it after each update
  // of the statistics.
  NormalizerKernel& normalizer() { return normalizer_; }

  // Q values [rows, actions()] of raw observations [rows, observation size],
  // valid until the next call.
  const float* q_values(const float* observations, int64_t rows);

  struct Loss {
    double loss = 0, mean_q = 0;
  };
  // The mean squared error between the Q values of `actions` [rows] and
  // `targets` [rows], and its gradient, written into the parameters'
  // gradient tensors.
  Loss td_gradient(const float* observations, const int64_t* actions, const float* targets,
                   int64_t rows);

 private:
  NormalizerKernel normalizer_;
  MlpKernel torso_, head_;
  std::optional<MlpKernel> value_head_;
  // Scratch, grown on demand.
  std::vector<float> normalized_, q_, q_grad_, value_grad_, features_grad_, value_features_grad_;
};

// The action of highest `q_values` [actions] among those `mask` allows (null:
// all), the first of equals; 0 when none is allowed.
int64_t best_allowed_action(const float* q_values, const bool* mask, int64_t actions);

}  // namespace twinrl

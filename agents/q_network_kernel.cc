#include "agents/q_network_kernel.h"

#include <algorithm>

#include "agents/scratch_buffer.h"

namespace twinrl {

QNetworkKernel::QNetworkKernel(QNetwork& network)
    : normalizer_(network->observation_normalizer()),
      torso_(network->torso(), "relu"),
      head_(network->head(), "relu") {
  if (!network->value_head().is_empty()) value_head_.emplace(network->value_head(), "relu");
}

const float* QNetworkKernel::q_values(const float* observations, int64_t rows) {
  grow(normalized_, rows * torso_.inputs());
  normalizer_.apply(observations, rows, normalized_.data());
  const float* features = torso_.forward(normalized_.data(), rows);
  const float* head = head_.forward(features, rows);
  if (!value_head_) return head;
  // Dueling: V(s) + A(s, a) - mean over a of A(s, a).
  const float* value = value_head_->forward(features, rows);
  const int64_t n = actions();
  grow(q_, rows * n);
  for (int64_t r = 0; r < rows; ++r) {
    const float* advantages = head + r * n;
    float mean = 0;
    for (int64_t a = 0; a < n; ++a) mean += advantages[a];
    mean /= static_cast<float>(n);
    for (int64_t a = 0; a < n; ++a) q_[r * n + a] = value[r] + advantages[a] - mean;
  }
  return q_.data();
}

QNetworkKernel::Loss QNetworkKernel::td_gradient(const float* observations, const int64_t* actions,
                                                 const float* targets, int64_t rows) {
  const float* q = q_values(observations, rows);
  const int64_t n = this->actions();
  grow(q_grad_, rows * n);
  std::fill(q_grad_.begin(), q_grad_.begin() + rows * n, 0.0f);
  Loss loss;
  for (int64_t r = 0; r < rows; ++r) {
    const double error = q[r * n + actions[r]] - targets[r];
    loss.loss += error * error;
    loss.mean_q += q[r * n + actions[r]];
    q_grad_[r * n + actions[r]] = static_cast<float>(2 * error / static_cast<double>(rows));
  }
  loss.loss /= static_cast<double>(rows);
  loss.mean_q /= static_cast<double>(rows);

  const int64_t features = torso_.outputs();
  grow(features_grad_, rows * features);
  if (!value_head_) {
    head_.backward(q_grad_.data(), features_grad_.data());
  } else {
    // dV = the sum over actions of dQ; dA_a = dQ_a - the mean over actions of dQ.
    grow(value_grad_, rows);
    grow(value_features_grad_, rows * features);
    for (int64_t r = 0; r < rows; ++r) {
      float* grad = q_grad_.data() + r * n;
      float sum = 0;
      for (int64_t a = 0; a < n; ++a) sum += grad[a];
      value_grad_[r] = sum;
      for (int64_t a = 0; a < n; ++a) grad[a] -= sum / static_cast<float>(n);
    }
    head_.backward(q_grad_.data(), features_grad_.data());
    value_head_->backward(value_grad_.data(), value_features_grad_.data());
    for (int64_t i = 0; i < rows * features; ++i) features_grad_[i] += value_features_grad_[i];
  }
  torso_.backward(features_grad_.data());
  return loss;
}

int64_t best_allowed_action(const float* q_values, const bool* mask, int64_t actions) {
  int64_t best = -1;
  for (int64_t a = 0; a < actions; ++a)
    if ((mask == nullptr || mask[a]) && (best < 0 || q_values[a] > q_values[best])) best = a;
  return best < 0 ? 0 : best;
}

}  // namespace twinrl

// The hand-derived Q-network kernel against LibTorch's forward pass and the
// autograd gradient of the TD loss as dqn.cc wrote it before the kernel.
#include <gtest/gtest.h>
#include <torch/nn/functional/loss.h>

#include "agents/q_network_kernel.h"
#include "tests/tensor_difference.h"

namespace twinrl {
namespace {

using test_support::relative_difference;

class QNetworkKernelTest : public testing::TestWithParam<bool> {};

TEST_P(QNetworkKernelTest, MatchesLibTorchAndAutograd) {
  torch::manual_seed(11);
  EnvSpec spec;
  spec.observation_space = Space::box(5, -10, 10);
  spec.action_space = Space::discrete(4);
  DqnConfig config;
  config.hidden = {16, 8};
  config.dueling = GetParam();
  config.normalize_observations = true;
  QNetwork network(spec, config);
  network->observation_normalizer()->update(torch::randn({64, 5}) * 2 + 0.5);
  QNetworkKernel kernel(network);

  const int64_t rows = 24;
  const torch::Tensor observations = torch::randn({rows, 5}) * 3;
  const torch::Tensor kernel_q = torch::from_blob(
      const_cast<float*>(kernel.q_values(observations.data_ptr<float>(), rows)), {rows, 4});
  EXPECT_LT(relative_difference(kernel_q, network->forward(observations).detach()), 1e-5);

  const torch::Tensor actions = torch::randint(4, {rows, 1}, torch::kInt64);
  const torch::Tensor targets = torch::randn({rows}) * 2;
  const QNetworkKernel::Loss loss = kernel.td_gradient(
      observations.data_ptr<float>(), actions.data_ptr<int64_t>(), targets.data_ptr<float>(), rows);
  std::vector<torch::Tensor> kernel_grads;
  for (const auto& parameter : network->parameters()) {
    kernel_grads.push_back(parameter.grad().clone());
    parameter.mutable_grad().zero_();
  }
  const torch::Tensor q_taken = network->forward(observations).gather(1, actions).squeeze(1);
  const torch::Tensor reference = torch::nn::functional::mse_loss(q_taken, targets);
  reference.backward();
  EXPECT_NEAR(loss.loss, reference.item<double>(), 1e-4 * reference.item<double>());
  EXPECT_NEAR(loss.mean_q, q_taken.mean().item<double>(), 1e-5);
  const auto parameters = network->named_parameters();
  for (size_t i = 0; i < parameters.size(); ++i)
    EXPECT_LT(relative_difference(kernel_grads[i], parameters[i].value().grad()), 1e-4)
        << parameters[i].key();
}

INSTANTIATE_TEST_SUITE_P(Heads, QNetworkKernelTest, testing::Values(false, true),
                         [](const testing::TestParamInfo<bool>& info) {
                           return info.param ? "Dueling" : "Plain";
                         });

}  // namespace
}  // namespace twinrl

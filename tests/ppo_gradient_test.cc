// The hand-derived PPO kernel (rollout sampling, loss, gradient) and the
// fused optimizer step against LibTorch's autograd and optimizers.
#include <gtest/gtest.h>

#include "agents/actor_critic_kernel.h"
#include "agents/optimizer_step.h"
#include "tests/tensor_difference.h"
// After the LibTorch headers above: it uses their names unqualified.
#include <torch/nn/utils/clip_grad.h>

namespace twinrl {
namespace {

// The reference: PPO's loss written with LibTorch operations (CleanRL's
// formulas), differentiated by autograd.
torch::Tensor reference_policy_loss(const torch::Tensor& new_log_prob,
                                    const torch::Tensor& old_log_prob,
                                    const torch::Tensor& advantages, double clip_coef) {
  const torch::Tensor ratio = (new_log_prob - old_log_prob).exp();
  const torch::Tensor unclipped = -advantages * ratio;
  const torch::Tensor clipped = -advantages * ratio.clamp(1 - clip_coef, 1 + clip_coef);
  return torch::max(unclipped, clipped).mean();
}

torch::Tensor reference_value_loss(const torch::Tensor& new_values, const torch::Tensor& old_values,
                                   const torch::Tensor& returns, double clip_coef, bool clipped) {
  const torch::Tensor unclipped = (new_values - returns).square();
  if (!clipped) return 0.5 * unclipped.mean();
  const torch::Tensor moved = old_values + (new_values - old_values).clamp(-clip_coef, clip_coef);
  return 0.5 * torch::max(unclipped, (moved - returns).square()).mean();
}

TEST(PpoGradientTest, ReferencePolicyLossByHand) {
  // ratios 1.5 and 0.5, advantages +1 and -1, clip 0.2:
  // row 0: max(-1.5, -1.2) = -1.2; row 1: max(0.5, 0.8) = 0.8; mean -0.2.
  const torch::Tensor loss =
      reference_policy_loss(torch::tensor({std::log(1.5f), std::log(0.5f)}), torch::zeros({2}),
                            torch::tensor({1.f, -1.f}), 0.2);
  EXPECT_NEAR(loss.item<float>(), -0.2, 1e-6);
}

TEST(PpoGradientTest, ReferenceValueLossByHand) {
  // new (1, 3), old (0.5, 2.9), returns 2; clip 0.2 moves the old values to
  // 0.7 and 3.0: max((1-2)^2, (0.7-2)^2) = 1.69, max(1, 1) = 1; half the mean.
  const auto new_values = torch::tensor({1.f, 3.f}), old_values = torch::tensor({.5f, 2.9f});
  const auto returns = torch::tensor({2.f, 2.f});
  EXPECT_NEAR(reference_value_loss(new_values, old_values, returns, 0.2, true).item<float>(),
              0.6725, 1e-6);
  EXPECT_NEAR(reference_value_loss(new_values, old_values, returns, 0.2, false).item<float>(), 0.5,
              1e-6);
}

struct Case {
  std::string name;
  Space action_space;
  bool masked = false;
  std::string activation = "tanh";
  bool clip_value_loss = true;
  int threads = 1;
  int agents = 1;  // more: a centralized critic over each env's agents
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.name;
}

class PpoKernelTest : public testing::TestWithParam<Case> {};

using test_support::relative_difference;

TEST_P(PpoKernelTest, MatchesAutogradOnTheSameMinibatch) {
  const Case& c = GetParam();
  torch::manual_seed(7);
  EnvSpec spec;
  spec.observation_space = Space::box(5, -10, 10);
  spec.action_space = c.action_space;
  spec.has_action_mask = c.masked;
  spec.num_agents = c.agents;
  PolicyNetworkConfig network;
  network.centralized_critic = c.agents > 1;
  network.hidden = {16, 8};
  network.activation = c.activation;
  network.initial_log_std = -0.3;
  ActorCritic policy(spec, network);
  // Larger output weights than PPO's 0.01 initialization, so that ratios move.
  {
    torch::NoGradGuard no_grad;
    for (auto& parameter : policy->parameters()) parameter.add_(torch::randn_like(parameter) * 0.3);
  }
  const int64_t rows = 40;
  const torch::Tensor raw = torch::randn({rows, 5}) * 3 + 1;
  policy->observation_normalizer()->update(torch::randn({64, 5}) * 2 + 0.5);

  ActorCriticKernel kernel(policy, network, spec.action_space, c.threads);
  torch::Tensor normalized = torch::zeros_like(raw);
  kernel.normalizer().apply(raw.data_ptr<float>(), rows, normalized.data_ptr<float>());
  EXPECT_TRUE(torch::equal(normalized, policy->observation_normalizer()->forward(raw)));

  // Masks with at least one allowed choice per dimension.
  const int64_t mask_size = spec.action_space.mask_size();
  torch::Tensor masks;
  if (c.masked) {
    masks = torch::rand({rows, mask_size}) < 0.6;
    masks.select(1, 0).fill_(true);
    masks.select(1, spec.action_space.nvec()[0]).fill_(true);
  }
  const bool discrete = spec.action_space.is_discrete();
  const int64_t action_size = spec.action_space.size();
  const torch::Tensor noise =
      discrete ? torch::rand({rows, action_size}) : torch::randn({rows, action_size});
  const torch::Tensor actions =
      torch::zeros({rows, action_size}, discrete ? torch::kInt64 : torch::kFloat32);
  const torch::Tensor env_actions = torch::zeros({rows, action_size});
  torch::Tensor log_probs = torch::zeros({rows}), values = torch::zeros({rows});
  kernel.sample(normalized.data_ptr<float>(), masks.defined() ? masks.data_ptr<bool>() : nullptr,
                noise.data_ptr<float>(), rows,
                {.discrete_actions = discrete ? actions.data_ptr<int64_t>() : nullptr,
                 .continuous_actions = discrete ? nullptr : actions.data_ptr<float>(),
                 .env_actions = discrete ? nullptr : env_actions.data_ptr<float>(),
                 .log_probs = log_probs.data_ptr<float>(),
                 .values = values.data_ptr<float>()});

  const ActionDistribution& distribution = policy->distribution();
  {
    torch::NoGradGuard no_grad;
    const torch::Tensor outputs = policy->actor_outputs(raw);
    EXPECT_LT(relative_difference(
                  log_probs, distribution.log_prob(outputs, policy->log_std(), masks, actions)),
              1e-5);
    EXPECT_LT(relative_difference(values, policy->value(raw)), 1e-5);
    if (c.masked)  // every sampled choice allowed
      for (int64_t r = 0; r < rows; ++r) {
        int64_t first = 0;
        for (int64_t d = 0; d < action_size; ++d) {
          EXPECT_TRUE(masks[r][first + actions[r][d].item<int64_t>()].item<bool>());
          first += spec.action_space.nvec()[d];
        }
      }
    if (!discrete) {
      EXPECT_TRUE(torch::equal(env_actions, policy->clip_to_bounds(actions)));
    }
  }

  // Old log-probs and values moved, so that some ratios and values clip.
  const torch::Tensor old_log_probs = log_probs + 0.3 * torch::randn({rows});
  const torch::Tensor old_values = values + 0.3 * torch::randn({rows});
  const torch::Tensor advantages = torch::randn({rows}) * 2 + 0.5;
  const torch::Tensor returns = values + torch::randn({rows});
  const torch::Tensor index = torch::randperm(rows).narrow(0, 0, 24).contiguous();
  PpoConfig config;
  config.clip_value_loss = c.clip_value_loss;
  config.entropy_coef = 0.05;

  const PpoLossTerms terms =
      kernel.ppo_gradient({.normalized_observations = normalized.data_ptr<float>(),
                           .discrete_actions = discrete ? actions.data_ptr<int64_t>() : nullptr,
                           .continuous_actions = discrete ? nullptr : actions.data_ptr<float>(),
                           .masks = masks.defined() ? masks.data_ptr<bool>() : nullptr,
                           .log_probs = old_log_probs.data_ptr<float>(),
                           .values = old_values.data_ptr<float>(),
                           .advantages = advantages.data_ptr<float>(),
                           .returns = returns.data_ptr<float>()},
                          index.data_ptr<int64_t>(), index.numel(), config);
  std::vector<torch::Tensor> kernel_grads;
  for (const auto& parameter : policy->parameters()) {
    kernel_grads.push_back(parameter.grad().clone());
    parameter.mutable_grad().zero_();
  }

  const torch::Tensor mask_rows = masks.defined() ? masks.index_select(0, index) : masks;
  const torch::Tensor outputs = policy->actor_outputs(raw.index_select(0, index));
  const torch::Tensor new_log_prob =
      distribution.log_prob(outputs, policy->log_std(), mask_rows, actions.index_select(0, index));
  const torch::Tensor entropy = distribution.entropy(outputs, policy->log_std(), mask_rows).mean();
  torch::Tensor minibatch_advantages = advantages.index_select(0, index);
  minibatch_advantages =
      (minibatch_advantages - minibatch_advantages.mean()) / (minibatch_advantages.std() + 1e-8);
  const torch::Tensor policy_loss = reference_policy_loss(
      new_log_prob, old_log_probs.index_select(0, index), minibatch_advantages, config.clip_coef);
  // Values of all rows, then the minibatch's: a centralized critic reads whole envs.
  const torch::Tensor value_loss = reference_value_loss(
      policy->value(raw).index_select(0, index), old_values.index_select(0, index),
      returns.index_select(0, index), config.clip_coef, config.clip_value_loss);
  const torch::Tensor loss =
      policy_loss - config.entropy_coef * entropy + config.value_coef * value_loss;
  loss.backward();

  EXPECT_NEAR(terms.policy_loss, policy_loss.item<double>(), 1e-5);
  EXPECT_NEAR(terms.value_loss, value_loss.item<double>(), 1e-5);
  EXPECT_NEAR(terms.entropy, entropy.item<double>(), 1e-5);
  EXPECT_NEAR(terms.total(config), loss.item<double>(), 1e-5);
  EXPECT_GT(terms.clip_fraction, 0);  // the clipped branches were exercised
  EXPECT_LT(terms.clip_fraction, 1);
  const auto parameters = policy->named_parameters();
  for (size_t i = 0; i < parameters.size(); ++i)
    EXPECT_LT(relative_difference(kernel_grads[i], parameters[i].value().grad()), 1e-4)
        << parameters[i].key() << "\nkernel:\n"
        << kernel_grads[i] << "\nautograd:\n"
        << parameters[i].value().grad();

  // The warm start's gradient on the same rows: the mean negative
  // log-likelihood of the actions, with the log-std left alone, and half the
  // squared error of the values to the returns.
  for (auto& parameter : policy->parameters()) parameter.mutable_grad().zero_();
  const ImitationLoss imitation = kernel.imitation_gradient(
      {.normalized_observations = normalized.data_ptr<float>(),
       .discrete_actions = discrete ? actions.data_ptr<int64_t>() : nullptr,
       .continuous_actions = discrete ? nullptr : actions.data_ptr<float>(),
       .masks = masks.defined() ? masks.data_ptr<bool>() : nullptr,
       .returns = returns.data_ptr<float>()},
      index.data_ptr<int64_t>(), index.numel(), config.value_coef);
  kernel_grads.clear();
  for (const auto& parameter : policy->parameters()) {
    kernel_grads.push_back(parameter.grad().clone());
    parameter.mutable_grad().zero_();
  }
  const torch::Tensor negative_log_likelihood =
      -distribution
           .log_prob(policy->actor_outputs(raw.index_select(0, index)), policy->log_std(),
                     mask_rows, actions.index_select(0, index))
           .mean();
  const torch::Tensor squared_error = reference_value_loss(
      policy->value(raw).index_select(0, index), old_values.index_select(0, index),
      returns.index_select(0, index), config.clip_coef, false);
  (negative_log_likelihood + config.value_coef * squared_error).backward();
  EXPECT_NEAR(imitation.negative_log_likelihood, negative_log_likelihood.item<double>(), 1e-5);
  EXPECT_NEAR(imitation.value_loss, squared_error.item<double>(), 1e-5);
  for (size_t i = 0; i < parameters.size(); ++i) {
    if (parameters[i].key() == "log_std") {
      EXPECT_EQ(kernel_grads[i].abs().max().item<float>(), 0);
      EXPECT_GT(parameters[i].value().grad().abs().max().item<float>(), 0);
      continue;
    }
    EXPECT_LT(relative_difference(kernel_grads[i], parameters[i].value().grad()), 1e-4)
        << "imitation: " << parameters[i].key();
  }
}

INSTANTIATE_TEST_SUITE_P(Distributions, PpoKernelTest,
                         testing::Values(Case{.name = "Discrete",
                                              .action_space = Space::discrete(3)},
                                         Case{.name = "MaskedMultiDiscreteRelu",
                                              .action_space = Space::multi_discrete({4, 3}),
                                              .masked = true,
                                              .activation = "relu",
                                              .threads = 2},
                                         Case{.name = "GaussianUnclippedValue",
                                              .action_space = Space::box(2, -0.5, 0.5),
                                              .clip_value_loss = false},
                                         Case{.name = "DiscreteCentralizedCriticOf4Agents",
                                              .action_space = Space::discrete(3),
                                              .threads = 2,
                                              .agents = 4}),
                         [](const testing::TestParamInfo<Case>& info) { return info.param.name; });

TEST(OptimizerStepTest, ClippingAndAdamMatchLibTorchAndShareItsState) {
  torch::manual_seed(3);
  const std::vector<torch::Tensor> initial = {torch::randn({6, 4}), torch::randn({6})};
  auto copy = [&] {
    std::vector<torch::Tensor> parameters;
    for (const auto& tensor : initial) parameters.push_back(tensor.clone().requires_grad_());
    return parameters;
  };
  std::vector<torch::Tensor> fused = copy(), reference = copy();
  const auto options = torch::optim::AdamOptions(0.01).eps(1e-5);
  torch::optim::Adam fused_adam(fused, options), reference_adam(reference, options);
  for (int step = 0; step < 5; ++step) {
    for (size_t i = 0; i < initial.size(); ++i) {
      const torch::Tensor grad = torch::randn_like(initial[i]) * (step + 1);
      fused[i].mutable_grad() = grad.clone();
      reference[i].mutable_grad() = grad.clone();
    }
    const double norm = clip_gradient_norm(fused_adam, 1.0);
    const double reference_norm = torch::nn::utils::clip_grad_norm_(reference, 1.0);
    EXPECT_NEAR(norm, reference_norm, 1e-4 * reference_norm);
    // The last step is torch's own on the fused optimizer's state.
    if (step < 4)
      adam_step(fused_adam);
    else
      fused_adam.step();
    reference_adam.step();
    for (size_t i = 0; i < initial.size(); ++i)
      EXPECT_LT(relative_difference(fused[i], reference[i]), 1e-6) << "step " << step;
  }
}

}  // namespace
}  // namespace twinrl

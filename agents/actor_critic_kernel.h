#pragma once
// PPO's actor-critic without autograd: rollout inference and the gradient of
// the clipped PPO loss on a minibatch, derived by hand and computed on the
// policy module's own parameters and gradient tensors (see mlp_kernel.h for
// why). tests/ppo_gradient_test.cc checks both against LibTorch's autograd.
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "agents/actor_critic.h"
#include "agents/distribution_kernel.h"
#include "agents/mlp_kernel.h"
#include "agents/normalizer_kernel.h"
#include "agents/ppo_config.h"
#include "core/worker_pool.h"

namespace twinrl {

// A rollout flattened over (step, row): row i's entries of each array.
struct PpoRolloutView {
  const float* normalized_observations = nullptr;  // [rows, observation size]
  const int64_t* discrete_actions = nullptr;       // [rows, action size] or null
  const float* continuous_actions = nullptr;       // [rows, action size] or null
  const bool* masks = nullptr;                     // [rows, mask size] or null
  const float* log_probs = nullptr;                // at collection
  const float* values = nullptr;                   // at collection
  const float* advantages = nullptr;
  const float* returns = nullptr;
};

// What the progress line and metrics report of a minibatch.
struct PpoLossTerms {
  double policy_loss = 0, value_loss = 0, entropy = 0, approx_kl = 0, clip_fraction = 0;
  double total(const PpoConfig& config) const {
    return policy_loss - config.entropy_coef * entropy + config.value_coef * value_loss;
  }
};

// What a minibatch of demonstrations scores (warm_start.h).
struct ImitationLoss {
  double negative_log_likelihood = 0, value_loss = 0;
};

// How a minibatch's advantages are normalized: (A - mean) * scale.
struct AdvantageScaling {
  double mean = 0, scale = 1;
};
// The count, mean and sum of squared deviations from the mean of a set of
// advantages (the ranks of a distributed run merge these).
struct AdvantageMoments {
  double count = 0, mean = 0, squared_deviations = 0;
};
// Of the advantages of rows index[0..size) (two passes, in double).
AdvantageMoments minibatch_advantage_moments(const float* advantages, const int64_t* index,
                                             int64_t size);
// The mean and 1 / (sample standard deviation + 1e-8), as torch's std().
AdvantageScaling advantage_scaling(const AdvantageMoments& moments);

// The actor's and the critic's passes are independent until the optimizer
// step: with two threads they run side by side, with the same arithmetic as
// on one.
class ActorCriticKernel {
 public:
  ActorCriticKernel(ActorCritic& policy, const PolicyNetworkConfig& network,
                    const Space& action_space, int threads);

  // The policy's observation normalization; refresh() it after each update
  // of the statistics.
  NormalizerKernel& normalizer() { return normalizer_; }

  // One rollout step: samples actions for normalized observations with the
  // given noise (rows x action size, see DistributionKernel::sample) and
  // writes them, the actions clipped to the bounds for the env (Box only),
  // their log-probabilities and the state values.
  struct Sampled {
    int64_t* discrete_actions = nullptr;
    float* continuous_actions = nullptr;
    float* env_actions = nullptr;  // Box only
    float* log_probs = nullptr;
    float* values = nullptr;
  };
  void sample(const float* normalized_observations, const bool* masks, const float* noise,
              int64_t rows, const Sampled& out);

  // The loss of the rollout rows `index[0..size)` and its gradient, written
  // into the policy's gradient tensors. With ppo.normalize_advantages, the
  // advantages are normalized with `scaling`, or by default over these rows.
  PpoLossTerms ppo_gradient(const PpoRolloutView& rollout, const int64_t* index, int64_t size,
                            const PpoConfig& config,
                            std::optional<AdvantageScaling> scaling = std::nullopt);

  // The gradient of imitating the demonstrations `index[0..size)` of
  // `demonstrations` (its observations, actions, masks and returns): for the
  // actor, the mean negative log-likelihood of their actions, the log-std
  // left as it is (exploration stays what the config asks for); for the
  // critic, value_coef times half the squared error to their returns.
  ImitationLoss imitation_gradient(const PpoRolloutView& demonstrations, const int64_t* index,
                                   int64_t size, double value_coef);

 private:
  // Runs part(0) (the actor's) and part(1) (the critic's), on two threads
  // where there are two.
  template <class Part>
  void actor_and_critic(Part& part) {
    if (pool_) {
      pool_->run(part);
    } else {
      part(0);
      part(1);
    }
  }
  // The policy's loss terms of the minibatch in observations_ and their
  // gradient with respect to the actor's parameters and the log-std.
  PpoLossTerms actor_gradient(const PpoRolloutView& rollout, const int64_t* index, int64_t size,
                              const PpoConfig& config, const AdvantageScaling& scaling);
  // The value loss of the minibatch and its gradient for the critic; with
  // `clip`, PPO's clipped value loss around the rollout's values.
  double critic_gradient(const PpoRolloutView& rollout, const int64_t* index, int64_t size,
                         double value_coef, std::optional<double> clip);
  // The critic's input for rows index[0..size) of `normalized_observations`
  // (rows 0..size where `index` is null): `own`, those rows' observations, or
  // with a centralized critic their joint observations, in critic_inputs_.
  const float* critic_inputs(const float* normalized_observations, const int64_t* index,
                             int64_t size, const float* own);
  // Copies the observations of rows index[0..size) into observations_.
  void gather_observations(const float* normalized_observations, const int64_t* index,
                           int64_t size);

  ActorCritic policy_;
  DistributionKernel distribution_;
  MlpKernel actor_, critic_;
  NormalizerKernel normalizer_;
  int64_t observation_size_, mask_size_;
  int64_t critic_agents_;          // ActorCritic::critic_agents()
  std::vector<float> low_, high_;  // action bounds
  // Minibatch scratch, grown on demand.
  std::vector<float> observations_, critic_inputs_, actor_grad_, value_grad_;
  std::vector<double> log_std_grad_;
  std::unique_ptr<WorkerPool> pool_;  // null with one thread
};

}  // namespace twinrl

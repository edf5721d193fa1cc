#pragma once
// PPO's policy: observation normalizer, then separate actor and critic MLPs,
// and for continuous actions a state-independent log-std. Everything an
// exported policy needs is inside this module. With a centralized critic, the
// critic's input is the joint observation of each agent's env
// (joint_observation.h).
#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>

#include "agents/action_distribution.h"
#include "agents/running_normalizer.h"
#include "core/env_spec.h"

namespace twinrl {

struct PolicyNetworkConfig {
  std::vector<int> hidden = {64, 64};
  std::string activation = "tanh";
  bool normalize_observations = true;
  double observation_clip = 10.0;
  double initial_log_std = 0.0;
  bool centralized_critic = false;

  template <class Visitor>
  void visit(Visitor& v) {
    v("hidden", hidden,
      {.doc = "hidden layer sizes of the actor and of the critic", .min = 1, .max = 8192});
    v("activation", activation, {.doc = "hidden activation", .choices = {"tanh", "relu"}});
    v("normalize_observations", normalize_observations,
      {.doc = "normalize observations by running mean and std (inside the policy)"});
    v("observation_clip", observation_clip,
      {.doc = "normalized observations are clipped to +-this", .min = 0.1});
    v("initial_log_std", initial_log_std,
      {.doc = "initial log standard deviation of continuous actions", .min = -5, .max = 2});
    v("centralized_critic", centralized_critic,
      {.doc = "the critic sees the observations of every agent of its env, its own first (MAPPO); "
              "the shared actor still sees its own: for envs with several agents"});
  }
};

class ActorCriticImpl : public torch::nn::Module {
 public:
  ActorCriticImpl(const EnvSpec& spec, const PolicyNetworkConfig& config);

  const ActionDistribution& distribution() const { return distribution_; }
  RunningNormalizer& observation_normalizer() { return normalizer_; }

  // Actor outputs (logits or means) for raw observations.
  torch::Tensor actor_outputs(const torch::Tensor& observations);
  // State values [rows] for raw observations (whole envs' rows with a
  // centralized critic).
  torch::Tensor value(const torch::Tensor& observations);
  // The agents whose observations the critic sees per row: 1, or the env's
  // agents with a centralized critic.
  int64_t critic_agents() const { return critic_agents_; }
  const torch::Tensor& log_std() const { return log_std_; }
  const torch::nn::Sequential& actor() const { return actor_; }
  const torch::nn::Sequential& critic() const { return critic_; }
  // The deterministic action for actuators: the mode, clipped to the action bounds.
  torch::Tensor act(const torch::Tensor& observations, const torch::Tensor& mask);
  // Sampled actions are clipped to the bounds before they reach the env; the
  // unclipped ones are what the rollout keeps.
  torch::Tensor clip_to_bounds(const torch::Tensor& actions) const;

 private:
  ActionDistribution distribution_;
  RunningNormalizer normalizer_;
  torch::nn::Sequential actor_, critic_;
  int64_t critic_agents_;
  torch::Tensor log_std_;
  torch::Tensor low_, high_;  // action bounds (Box only)
};
TORCH_MODULE(ActorCritic);

}  // namespace twinrl

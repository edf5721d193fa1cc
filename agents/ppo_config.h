#pragma once
// PPO's settings, with the defaults of CleanRL's ppo.py (Huang et al. 2022,
// "The 37 implementation details of PPO").
#include <cstdint>
#include <string>

#include "agents/actor_critic.h"
#include "config/config_node.h"

namespace twinrl {

// PPO started from a baseline's behaviour (demonstration-augmented policy
// learning, e.g. Rajeswaran et al. 2018): before the first update, the
// baseline drives the training envs and the actor is fitted to its actions
// by maximum likelihood, the critic to its discounted returns.
struct WarmStartConfig {
  std::string baseline;  // "": PPO starts from its random initialization
  int64_t steps = 100000;
  int epochs = 20;
  int minibatch_size = 512;

  template <class Visitor>
  void visit(Visitor& v) {
    v("baseline", baseline,
      {.doc = "the env's baseline PPO starts from, by its name as `twinrl eval --policy` takes "
              "it (empty: none)"});
    v("steps", steps,
      {.doc = "env steps of the baseline's demonstrations (summed over envs; part of "
              "total_steps; held in memory, 8 bytes per observation number per agent)",
       .min = 1});
    v("epochs", epochs, {.doc = "passes over the demonstrations", .min = 1, .max = 100000});
    v("minibatch_size", minibatch_size,
      {.doc = "demonstration rows per gradient step (at learning_rate)", .min = 1});
  }
};

struct PpoConfig {
  int rollout_steps = 128;  // steps per env between updates
  double learning_rate = 2.5e-4;
  bool anneal_learning_rate = true;
  double adam_epsilon = 1e-5;
  double gamma = 0.99;
  double gae_lambda = 0.95;
  int minibatches = 4;
  int epochs = 4;
  bool normalize_advantages = true;
  double clip_coef = 0.2;
  bool clip_value_loss = true;
  double entropy_coef = 0.01;
  double value_coef = 0.5;
  double max_grad_norm = 0.5;
  double target_kl = 0;  // 0: no early stop
  bool normalize_rewards = false;
  double reward_clip = 10.0;
  PolicyNetworkConfig network;
  WarmStartConfig warm_start;

  template <class Visitor>
  void visit(Visitor& v) {
    v("rollout_steps", rollout_steps,
      {.doc = "steps per env collected before each update", .min = 1});
    v("learning_rate", learning_rate, {.doc = "Adam learning rate", .min = 0, .max = 1});
    v("anneal_learning_rate", anneal_learning_rate,
      {.doc = "decay the learning rate linearly to 0 over the run"});
    v("adam_epsilon", adam_epsilon, {.doc = "Adam epsilon", .min = 0, .max = 1});
    v("gamma", gamma, {.doc = "discount factor", .min = 0, .max = 1});
    v("gae_lambda", gae_lambda, {.doc = "GAE lambda", .min = 0, .max = 1});
    v("minibatches", minibatches, {.doc = "minibatches per epoch", .min = 1});
    v("epochs", epochs, {.doc = "passes over each rollout", .min = 1});
    v("normalize_advantages", normalize_advantages, {.doc = "normalize advantages per minibatch"});
    v("clip_coef", clip_coef, {.doc = "policy ratio clipping", .min = 0, .max = 10});
    v("clip_value_loss", clip_value_loss, {.doc = "clip the value update like the policy's"});
    v("entropy_coef", entropy_coef, {.doc = "entropy bonus weight", .min = 0});
    v("value_coef", value_coef, {.doc = "value loss weight", .min = 0});
    v("max_grad_norm", max_grad_norm, {.doc = "global gradient norm clip", .min = 0});
    v("target_kl", target_kl,
      {.doc = "stop an update's epochs once the approximate KL exceeds this (0: never)", .min = 0});
    v("normalize_rewards", normalize_rewards,
      {.doc = "scale rewards by the running std of the discounted return"});
    v("reward_clip", reward_clip, {.doc = "scaled rewards are clipped to +-this", .min = 0.1});
    v("network", network);
    v("warm_start", warm_start);
  }
};

}  // namespace twinrl

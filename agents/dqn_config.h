#pragma once
// DQN's settings (Mnih et al. 2015) with double Q (van Hasselt et al. 2016),
// optional dueling heads (Wang et al. 2016) and n-step returns.
#include <string>
#include <vector>

#include "config/config_node.h"

namespace twinrl {

struct DqnConfig {
  double learning_rate = 2.5e-4;
  double adam_epsilon = 1e-8;
  int buffer_size = 10000;
  double gamma = 0.99;
  double tau = 1.0;               // 1: hard target updates; < 1: Polyak averaging
  int target_update_every = 500;  // env steps between target updates
  int batch_size = 128;
  double start_epsilon = 1.0;
  double end_epsilon = 0.05;
  double exploration_fraction = 0.5;  // of total_steps over which epsilon decays
  int learning_starts = 10000;        // env steps before the first gradient step
  int train_every = 10;               // env steps between training phases
  int gradient_steps = 1;             // gradient steps per training phase
  bool double_q = true;
  bool dueling = false;
  int n_step = 1;
  double max_grad_norm = 10.0;
  std::vector<int> hidden = {120, 84};
  bool normalize_observations = false;
  double observation_clip = 10.0;

  template <class Visitor>
  void visit(Visitor& v) {
    v("learning_rate", learning_rate, {.doc = "Adam learning rate", .min = 0, .max = 1});
    v("adam_epsilon", adam_epsilon, {.doc = "Adam epsilon", .min = 0, .max = 1});
    v("buffer_size", buffer_size, {.doc = "replay buffer capacity in transitions", .min = 1});
    v("gamma", gamma, {.doc = "discount factor", .min = 0, .max = 1});
    v("tau", tau, {.doc = "target update rate: 1 copies, below 1 averages", .min = 0, .max = 1});
    v("target_update_every", target_update_every,
      {.doc = "env steps between target network updates", .min = 1});
    v("batch_size", batch_size, {.doc = "transitions per gradient step", .min = 1});
    v("start_epsilon", start_epsilon, {.doc = "initial exploration rate", .min = 0, .max = 1});
    v("end_epsilon", end_epsilon, {.doc = "final exploration rate", .min = 0, .max = 1});
    v("exploration_fraction", exploration_fraction,
      {.doc = "fraction of total_steps over which epsilon decays linearly", .min = 0, .max = 1});
    v("learning_starts", learning_starts, {.doc = "env steps before learning starts", .min = 0});
    v("train_every", train_every, {.doc = "env steps between training phases", .min = 1});
    v("gradient_steps", gradient_steps, {.doc = "gradient steps per training phase", .min = 1});
    v("double_q", double_q, {.doc = "select next actions with the online network (double DQN)"});
    v("dueling", dueling, {.doc = "separate value and advantage heads"});
    v("n_step", n_step,
      {.doc = "steps summed into each return before bootstrapping", .min = 1, .max = 100});
    v("max_grad_norm", max_grad_norm, {.doc = "global gradient norm clip", .min = 0});
    v("hidden", hidden, {.doc = "hidden layer sizes of the Q network", .min = 1, .max = 8192});
    v("normalize_observations", normalize_observations,
      {.doc = "normalize observations by running mean and std (inside the network)"});
    v("observation_clip", observation_clip,
      {.doc = "normalized observations are clipped to +-this", .min = 0.1});
  }
};

}  // namespace twinrl

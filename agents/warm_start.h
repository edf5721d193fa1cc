#pragma once
// PPO's warm start from a baseline (ppo.warm_start): the baseline drives the
// training envs for warm_start.steps steps, the observation and reward
// normalizers learn from what it saw, and the actor is fitted to its actions
// by maximum likelihood, the critic to its discounted returns. PPO then
// improves on the baseline instead of rediscovering it.
#include <ATen/core/Generator.h>

#include <cstdint>

#include "agents/actor_critic.h"
#include "agents/actor_critic_kernel.h"
#include "agents/data_parallel.h"
#include "agents/experiment.h"
#include "agents/running_normalizer.h"
#include "core/vec_env.h"

namespace twinrl {

// What warm_start() did: the demonstration steps of every rank together,
// the mean losses of the first and the last epoch, and the episodes this
// rank's demonstrations completed.
struct WarmStartResult {
  int64_t steps = 0;
  ImitationLoss first_epoch, last_epoch;
  int64_t episodes = 0;
  double mean_return = 0;  // of this rank's completed episodes
};

// The env steps the warm start takes: ppo.warm_start.steps rounded up to
// whole steps of every env of every rank (0 without a warm start).
int64_t warm_start_steps(const Experiment& experiment, int world_size);

// Runs the warm start on `envs` (reset, and reset again at the end, so PPO's
// episodes are its own). Collective in a distributed run: every rank
// demonstrates on its own envs, and the gradients and statistics are merged.
WarmStartResult warm_start(const Experiment& experiment, VecEnv& envs, ActorCritic& policy,
                           ActorCriticKernel& kernel, RunningNormalizer& reward_normalizer,
                           DataParallel& parallel, at::Generator& generator);

}  // namespace twinrl

#pragma once
// The policy module of a run's checkpoint, for everything that acts with a
// trained policy outside training: evaluation and export.
#include <filesystem>
#include <variant>

#include "agents/actor_critic.h"
#include "agents/experiment.h"
#include "agents/q_network.h"

namespace twinrl {

// PPO runs hold an ActorCritic, DQN runs a QNetwork.
using PolicyModule = std::variant<ActorCritic, QNetwork>;

// Loads the policy of `checkpoint` (latest.pt or best.pt of a run), in eval
// mode. Throws std::runtime_error if the file is missing or unreadable.
PolicyModule load_policy_module(const Experiment& experiment,
                                const std::filesystem::path& checkpoint);

// The training step at which `checkpoint` was written.
int64_t checkpoint_training_step(const std::filesystem::path& checkpoint);

}  // namespace twinrl

#pragma once
// Deep Q-networks (Mnih et al. 2015) with CleanRL dqn.py's details, double Q
// (van Hasselt et al. 2016), optional dueling heads and n-step returns.
#include <ATen/core/Generator.h>
#include <torch/types.h>

#include "agents/q_network.h"
#include "agents/replay_buffer.h"
#include "agents/training_session.h"

namespace twinrl {

// Trains (or resumes) the session's experiment with DQN.
void train_dqn(TrainingSession& session);

// Per row, int64 [rows, 1]: with probability `epsilon` an action drawn
// uniformly among those `mask` allows (bool [rows, actions]; undefined: all),
// otherwise the allowed action of highest `q_values` [rows, actions].
torch::Tensor epsilon_greedy(const torch::Tensor& q_values, const torch::Tensor& mask,
                             double epsilon, at::Generator& generator);

// The regression targets [count] of a sample: reward + discount * Q_target(next, a')
// where the episode did not terminate, a' the allowed action of highest
// Q_online(next) (double Q) or of highest Q_target(next).
torch::Tensor dqn_targets(QNetwork& online, QNetwork& target, const ReplaySample& sample,
                          bool double_q);

}  // namespace twinrl

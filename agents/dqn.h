#pragma once
// Deep Q-networks (Mnih et al. 2015) with CleanRL dqn.py's details, double Q
// (van Hasselt et al. 2016), optional dueling heads and n-step returns.
#include "agents/q_network.h"
#include "agents/q_network_kernel.h"
#include "agents/replay_buffer.h"
#include "agents/training_session.h"
#include "core/worker_pool.h"

namespace twinrl {

// Trains (or resumes) the session's experiment with DQN.
void train_dqn(TrainingSession& session);

// Per row of `q_values` [rows, actions]: with probability `epsilon` an
// action drawn uniformly among those `masks` allows ([rows, actions]; null:
// all), otherwise the allowed action of highest value. `uniforms` holds two
// numbers in [0, 1) per row: the first decides, the second draws.
void epsilon_greedy(const float* q_values, const bool* masks, int64_t rows, int64_t actions,
                    double epsilon, const float* uniforms, int64_t* chosen);

// The regression targets of a sample into `targets` [count]: reward +
// discount * Q_target(next, a') where the episode did not terminate, a' the
// allowed action of highest Q_online(next) (double Q) or of highest
// Q_target(next). With a `pool` (null: none) of two threads the two networks'
// passes run side by side.
void dqn_targets(QNetworkKernel& online, QNetworkKernel& target, const ReplaySample& sample,
                 bool double_q, WorkerPool* pool, float* targets);

}  // namespace twinrl

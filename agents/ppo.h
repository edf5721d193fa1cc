#pragma once
// Proximal policy optimization (Schulman et al. 2017) with the implementation
// details of CleanRL's ppo.py and ppo_continuous_action.py.
#include <torch/types.h>

#include "agents/training_session.h"

namespace twinrl {

// Trains (or resumes) the session's experiment with PPO.
void train_ppo(TrainingSession& session);

// The clipped surrogate objective, as a loss to minimize (mean over rows).
torch::Tensor ppo_policy_loss(const torch::Tensor& new_log_prob, const torch::Tensor& old_log_prob,
                              const torch::Tensor& advantages, double clip_coef);
// Half the squared error to the returns; when clipped, the larger of the
// errors of the new value and of the old value moved by at most clip_coef.
torch::Tensor ppo_value_loss(const torch::Tensor& new_values, const torch::Tensor& old_values,
                             const torch::Tensor& returns, double clip_coef, bool clipped);

}  // namespace twinrl

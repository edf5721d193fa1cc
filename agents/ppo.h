#pragma once
// Proximal policy optimization (Schulman et al. 2017) with the implementation
// details of CleanRL's ppo.py and ppo_continuous_action.py.
#include "agents/training_session.h"

namespace twinrl {

// Trains (or resumes) the session's experiment with PPO.
void train_ppo(TrainingSession& session);

}  // namespace twinrl

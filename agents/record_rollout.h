#pragma once
// Rollout files of a policy: the episodes `twinrl view` shows, recorded by
// `twinrl eval --record` and during training (agent.record_every).
#include <filesystem>
#include <string>

#include "agents/evaluate.h"

namespace twinrl {

struct RecordingRequest {
  EvaluationPolicy policy;
  int episodes = 1;
  uint64_t seed = 1;
  int64_t training_step = -1;  // of the policy's checkpoint; -1 when not a trained policy
};

// The header of a rollout of `request` on the experiment's env.
RolloutHeader rollout_header(const Experiment& experiment, const RecordingRequest& request);

// Records `request.episodes` episodes into the rollout file `out` (written
// atomically) and returns their evaluation.
EvaluationResult record_rollout(const Experiment& experiment, const RecordingRequest& request,
                                const std::filesystem::path& out);

}  // namespace twinrl

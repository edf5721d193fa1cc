#pragma once
// Evaluation of a run's policy: deterministic actions on fresh env seeds,
// mean and spread of the return and of every KPI.
#include <filesystem>
#include <string>
#include <vector>

#include "agents/experiment.h"
#include "core/evaluation_result.h"
#include "rundir/rollout_recorder.h"

namespace twinrl {

// Who acts in an evaluation.
struct EvaluationPolicy {
  // "trained" (the run's checkpoint, acting deterministically), "random"
  // (uniform over the allowed actions), "heuristic" (the env's default
  // baseline) or the name of one of the env's baselines.
  std::string name = "trained";
  std::filesystem::path checkpoint;  // latest.pt or best.pt of a run, for "trained"
};

// The policy names evaluate() accepts for envs of `model`.
std::vector<std::string> policy_names(const EnvModel& model);

// Runs `episodes` episodes of `policy`. Each env contributes its first
// episodes only, so short episodes are not over-represented. A `recorder`
// records the first episode of each of the first recorder->episodes() envs
// (at most `episodes`).
EvaluationResult evaluate(const Experiment& experiment, const EvaluationPolicy& policy,
                          int episodes, uint64_t seed, RolloutRecorder* recorder = nullptr);

// "return 487.3 +- 21.0 (min 402, max 500, 100 episodes)" and a line per KPI.
std::string format_evaluation(const EvaluationResult& result);

}  // namespace twinrl

#pragma once
// Who runs a facility in a simulation that writes logs (`twin synth`, the
// fidelity replays): one of the env's baselines, or a trained run's policy
// acting deterministically on the env's observation.
#include <filesystem>
#include <functional>
#include <span>
#include <string>

#include "core/baseline_policy.h"
#include "core/env.h"

namespace twinrl {

// Writes the actions of `env` (whose latest observation is `observation`).
using FacilityPolicy =
    std::function<void(const Env& env, std::span<const float> observation, const ActionOutput&)>;

// A baseline made by `model`: `policy` must outlive the result.
inline FacilityPolicy baseline_facility_policy(const BaselinePolicy& policy) {
  return [&policy](const Env& env, std::span<const float>, const ActionOutput& out) {
    policy.act(env, out);
  };
}

// The best checkpoint of the run (facility_policy.cc, in twinrl_twins) in `run_dir`, for envs of
// `model`. A ConfigError when the run's policy does not fit the model's observation and action
// spaces; a runtime error when the checkpoint cannot be read.
FacilityPolicy trained_facility_policy(const std::filesystem::path& run_dir, const EnvModel& model);

// `name` as `twin synth --policy` reads it: a run directory (its best
// checkpoint) or a baseline of `model`, seeded with `seed`, which the result
// owns. A ConfigError for neither, saying so and what else `others` the
// command takes ("or a run directory").
FacilityPolicy facility_policy_named(const std::string& name, const EnvModel& model, uint64_t seed,
                                     const std::string& others);

}  // namespace twinrl

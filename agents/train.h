#pragma once
// The entry points of the user's main job: train an experiment into a run
// directory, resume it, evaluate it.
#include <filesystem>
#include <string>
#include <vector>

#include "agents/experiment.h"
#include "agents/training_session.h"

namespace twinrl {

struct TrainSummary {
  int64_t steps = 0;
  int64_t episodes = 0;
  double recent_return = 0;  // mean return of the last return_window episodes
};

// Trains `experiment` into `options.run_dir` (or resumes it there). Throws
// NonFiniteError when a loss stops being finite; the last checkpoint stays.
TrainSummary train(const Experiment& experiment, const SessionOptions& options);

// The experiment of an existing run: its resolved config.yaml.
Experiment load_run_experiment(const std::filesystem::path& run_dir, const EnvRegistry& registry);

}  // namespace twinrl

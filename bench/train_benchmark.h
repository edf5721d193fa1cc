#pragma once
// Training speed of an experiment, whole loop: `twinrl bench --train CONFIG`.
// Each repeat trains the experiment from scratch into a scratch run directory
// and reads its metrics: training steps per second, and the steps and
// seconds until the mean return of the last agent.return_window episodes
// first reached a target.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "agents/experiment.h"

namespace twinrl {

struct TrainBenchmarkRun {
  int64_t steps = 0;
  double wall_seconds = 0;      // the whole train() call: setup, training, checkpoints
  double training_seconds = 0;  // the training loop, from the metrics' speeds
  double final_return = 0;
  std::optional<int64_t> steps_to_target;
  std::optional<double> seconds_to_target;  // of training, as training_seconds

  double steps_per_second() const { return training_seconds > 0 ? steps / training_seconds : 0; }
};

// Trains `experiment` once into `run_dir` (which must not hold a run).
TrainBenchmarkRun benchmark_training(const Experiment& experiment,
                                     const std::filesystem::path& run_dir,
                                     std::optional<double> target_return);

// The median of each figure over runs (of those that reached the target, for
// the figures to the target).
TrainBenchmarkRun median_run(const std::vector<TrainBenchmarkRun>& runs);

}  // namespace twinrl

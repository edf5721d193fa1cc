#include "bench/train_benchmark.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "agents/train.h"
#include "rundir/metrics_log.h"
#include "rundir/run_dir.h"

namespace twinrl {
namespace {

template <class T>
std::optional<T> median_of(std::vector<T> values) {
  if (values.empty()) return std::nullopt;
  std::ranges::sort(values);
  const size_t middle = values.size() / 2;
  if (values.size() % 2 == 1) return values[middle];
  return static_cast<T>((values[middle - 1] + values[middle]) / 2);
}

}  // namespace

TrainBenchmarkRun benchmark_training(const Experiment& experiment,
                                     const std::filesystem::path& run_dir,
                                     std::optional<double> target_return) {
  const auto start = std::chrono::steady_clock::now();
  const TrainSummary summary = train(experiment, {.run_dir = run_dir, .progress = false});
  TrainBenchmarkRun run;
  run.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.steps = summary.steps;
  run.final_return = summary.recent_return;
  // Each row's speed covers the steps since the row before it; the first
  // row's steps (one update) are timed at the second row's speed.
  int64_t previous_step = 0;
  double speed = 0;
  const auto rows = read_metrics_csv(RunDir(run_dir).metrics_csv());
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    const auto step = static_cast<int64_t>(row.at("step"));
    if (const auto it = row.find("steps_per_second"); it != row.end()) {
      speed = it->second;
    } else if (i + 1 < rows.size() && rows[i + 1].contains("steps_per_second")) {
      speed = rows[i + 1].at("steps_per_second");
    }
    if (speed > 0) run.training_seconds += static_cast<double>(step - previous_step) / speed;
    previous_step = step;
    const auto episode_return = row.find("episode_return");
    if (target_return && !run.steps_to_target && episode_return != row.end() &&
        episode_return->second >= *target_return) {
      run.steps_to_target = step;
      run.seconds_to_target = run.training_seconds;
    }
  }
  return run;
}

TrainBenchmarkRun median_run(const std::vector<TrainBenchmarkRun>& runs) {
  TrainBenchmarkRun median;
  std::vector<int64_t> steps, steps_to_target;
  std::vector<double> wall, training, final_return, seconds_to_target;
  for (const TrainBenchmarkRun& run : runs) {
    steps.push_back(run.steps);
    wall.push_back(run.wall_seconds);
    training.push_back(run.training_seconds);
    final_return.push_back(run.final_return);
    if (run.steps_to_target) steps_to_target.push_back(*run.steps_to_target);
    if (run.seconds_to_target) seconds_to_target.push_back(*run.seconds_to_target);
  }
  median.steps = median_of(steps).value_or(0);
  median.wall_seconds = median_of(wall).value_or(0);
  median.training_seconds = median_of(training).value_or(0);
  median.final_return = median_of(final_return).value_or(std::nan(""));
  median.steps_to_target = median_of(steps_to_target);
  median.seconds_to_target = median_of(seconds_to_target);
  return median;
}

}  // namespace twinrl

#pragma once
// What every training algorithm shares: the run directory (resolved config,
// metrics, checkpoints), recent episode statistics, the progress line, and
// atomic checkpoints that hold the session's state beside the algorithm's.
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>

#include "agents/checkpoint_file.h"
#include "agents/distributed/communicator.h"
#include "agents/experiment.h"
#include "agents/progress.h"
#include "core/batch.h"
#include "core/evaluation_result.h"
#include "core/vec_env.h"
#include "rundir/metrics_log.h"
#include "rundir/run_dir.h"
#include "rundir/run_lock.h"

namespace twinrl {

// A loss or gradient became NaN or infinite: the run stops, its last
// checkpoint (taken while everything was finite) stays as it was.
class NonFiniteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SessionOptions {
  std::filesystem::path run_dir;
  // Continue from checkpoints/latest.pt; a run killed before its first
  // checkpoint starts over from step 0.
  bool resume = false;
  int64_t stop_after_steps = 0;  // stop early (as if interrupted) after this many steps; 0: never
  bool progress = true;          // the progress line, shown only on a terminal
  // The ranks of a distributed run (null: one process). Rank 0 writes the
  // run directory; every rank's episodes count in its statistics.
  Communicator* communicator = nullptr;
};

// The tensor stored under `key` (a fresh one: reading into a tensor that
// already holds data would try to resize its storage).
torch::Tensor read_tensor(torch::serialize::InputArchive& archive, const std::string& key);

// A part of a checkpoint that saves and loads itself (modules, optimizers).
template <class Part>
void write_part(torch::serialize::OutputArchive& archive, const std::string& key,
                const Part& part) {
  torch::serialize::OutputArchive nested;
  part.save(nested);
  archive.write(key, nested);
}
template <class Part>
void read_part(torch::serialize::InputArchive& archive, const std::string& key, Part& part) {
  torch::serialize::InputArchive nested;
  archive.read(key, nested);
  if constexpr (std::is_base_of_v<torch::nn::Module, Part>)
    load_module_checked(part, nested);  // shapes as the config builds them
  else
    part.load(nested);
}
// The runner's envs and current observations, as bytes.
void write_runner(torch::serialize::OutputArchive& archive, const VecEnv& envs);
void read_runner(torch::serialize::InputArchive& archive, VecEnv& envs);

// The experiment's envs on a synchronous runner, which PPO and DQN step all
// together; rank r of a distributed run gets envs r * num_envs onwards.
std::unique_ptr<VecEnv> make_training_envs(const Experiment& experiment, int rank = 0);

// Throws NonFiniteError unless `loss` is finite.
void require_finite(double loss, const std::string& algorithm, int64_t step);

class TrainingSession {
 public:
  // A new run refuses an existing run directory that has a checkpoint. The
  // session holds the run directory's lock: a second writer fails at once.
  // In a distributed run only rank 0 writes (and locks) the run directory;
  // the other ranks read its checkpoint when they resume.
  TrainingSession(const Experiment& experiment, const SessionOptions& options);

  const Experiment& experiment() const { return experiment_; }
  const RunDir& run_dir() const { return run_dir_; }
  // Whether the algorithm continues from a checkpoint (load_checkpoint)
  // rather than starting at step 0.
  bool resuming() const { return from_checkpoint_; }

  // The ranks of a distributed run, or null.
  Communicator* communicator() const { return options_.communicator; }
  // Whether this process writes the run directory (rank 0).
  bool writer() const { return !options_.communicator || options_.communicator->rank() == 0; }

  // Adds the episodes that ended in this batch to the recent statistics (in
  // a distributed run at the next log(), with every rank's).
  void record_episodes(const BatchView& batch);
  // The mean return of the last return_window episodes (NaN before the first).
  double recent_return() const;
  int64_t episodes() const { return episodes_; }
  // The step of the last log() (-1 before the first).
  int64_t steps() const { return last_log_step_; }

  // Writes one row of metrics at `step` (the steps of all ranks), with the
  // episode statistics and speed added, and redraws the progress line.
  // Collective in a distributed run.
  void log(int64_t step, std::vector<std::pair<std::string, double>> values);
  // True once `step` reaches the budget or the early stop.
  bool finished(int64_t step) const;
  // Checkpoints at every checkpoint_every steps and at the end.
  bool checkpoint_due(int64_t step) const;

  using SaveAlgorithm = std::function<void(torch::serialize::OutputArchive&)>;
  using LoadAlgorithm = std::function<void(torch::serialize::InputArchive&)>;
  // Writes latest.pt atomically, and best.pt when the recent return (or, with
  // a validator, the validation return) improved.
  // Collective in a distributed run: every rank calls it (and its
  // save_algorithm) once, rank 0 writes.
  void save_checkpoint(int64_t step, const SaveAlgorithm& save_algorithm);

  // What records episodes of the checkpoint just written at `step` (train()
  // installs rollout recording; none by default).
  using Recorder = std::function<void(int64_t step)>;
  void set_recorder(Recorder recorder) { recorder_ = std::move(recorder); }
  // Runs the recorder when a checkpoint was just written at `step` and
  // agent.record_every (or the end of training) calls for a recording.
  void record_if_due(int64_t step);
  // What evaluates the checkpoint at `path` on the validation episodes
  // (agent.evaluate_episodes; train() installs it on the writer). With one,
  // best.pt is the checkpoint of the highest validation return.
  using Validator = std::function<EvaluationResult(const std::filesystem::path& checkpoint)>;
  void set_validator(Validator validator) { validator_ = std::move(validator); }
  // Loads latest.pt and returns its step; drops metrics logged after it.
  int64_t load_checkpoint(const LoadAlgorithm& load_algorithm);

  // Closes the progress line and flushes the metrics.
  void finish();

 private:
  void add_episode(float episode_return, float length, const float* kpis);
  // The validation return of latest.pt, logged as eval/... at `step` when `log`.
  double validate(int64_t step, bool log);
  void gather_episodes();
  Experiment experiment_;
  SessionOptions options_;
  RunDir run_dir_;
  std::optional<RunLock> lock_;
  bool from_checkpoint_ = false;
  Recorder recorder_;
  Validator validator_;
  std::optional<MetricsLog> metrics_;
  ProgressLine progress_;
  std::deque<float> recent_returns_, recent_lengths_;
  std::vector<std::deque<float>> recent_kpis_;
  // Distributed: this rank's episodes since the last log(), as rows of
  // return, length and KPIs.
  std::vector<float> pending_episodes_;
  int64_t episodes_ = 0;
  int64_t last_checkpoint_step_ = 0;
  int64_t last_recording_step_ = 0;
  // The recent training return (or the validation return) of best.pt.
  double best_return_ = -std::numeric_limits<double>::infinity();
  std::chrono::steady_clock::time_point last_log_time_;
  int64_t last_log_step_ = -1;
};

}  // namespace twinrl

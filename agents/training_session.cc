#include "agents/training_session.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iostream>
#include <numeric>

#include "agents/checkpoint_file.h"
#include "agents/checkpoint_origin.h"
#include "rundir/atomic_file.h"

namespace twinrl {
namespace {

torch::Tensor to_tensor(const std::deque<float>& values) {
  return torch::tensor(std::vector<float>(values.begin(), values.end()), torch::kFloat32);
}

std::deque<float> from_tensor(const torch::Tensor& tensor) {
  const torch::Tensor values = tensor.contiguous();
  return {values.data_ptr<float>(), values.data_ptr<float>() + values.numel()};
}

double mean_of(const std::deque<float>& values) {
  if (values.empty()) return std::nan("");
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

}  // namespace

torch::Tensor read_tensor(torch::serialize::InputArchive& archive, const std::string& key) {
  torch::Tensor tensor;
  archive.read(key, tensor);
  return tensor;
}

void write_runner(torch::serialize::OutputArchive& archive, const VecEnv& envs) {
  const std::vector<uint8_t> bytes = envs.save();
  archive.write("runner", torch::from_blob(const_cast<uint8_t*>(bytes.data()),
                                           {static_cast<int64_t>(bytes.size())}, torch::kUInt8)
                              .clone());
}

void read_runner(torch::serialize::InputArchive& archive, VecEnv& envs) {
  const torch::Tensor bytes = read_tensor(archive, "runner").contiguous();
  envs.load({bytes.data_ptr<uint8_t>(), static_cast<size_t>(bytes.numel())});
}

std::unique_ptr<VecEnv> make_training_envs(const Experiment& experiment, int rank) {
  const RunConfig& run = experiment.run;
  return std::make_unique<VecEnv>(
      experiment.env_model,
      VecEnvOptions{.num_envs = run.env.num_envs,
                    .threads = run.env.threads,
                    .seed = run.seed,
                    .first_env_index = static_cast<uint64_t>(rank) * run.env.num_envs});
}

void require_finite(double value, const std::string& algorithm, int64_t step) {
  if (!std::isfinite(value))
    throw NonFiniteError("the " + algorithm + " loss became " + std::to_string(value) +
                         " at step " + std::to_string(step));
}

TrainingSession::TrainingSession(const Experiment& experiment, const SessionOptions& options)
    : experiment_(experiment),
      options_(options),
      run_dir_(options.run_dir),
      progress_(experiment.agent.total_steps, options.progress && writer() ? stdout : nullptr),
      recent_kpis_(experiment.env_model->spec().kpi_names.size()) {
  namespace fs = std::filesystem;
  const bool has_checkpoint = fs::exists(run_dir_.checkpoint("latest"));
  if (!writer()) {
    from_checkpoint_ = options_.resume && has_checkpoint;
    return;
  }
  lock_.emplace(run_dir_);
  if (!options_.resume && has_checkpoint)
    throw std::runtime_error("run directory " + options_.run_dir.string() +
                             " already holds a run: `twinrl resume " + options_.run_dir.string() +
                             "` continues it, or give the experiment another name");
  if (options_.resume) run_dir_.require_exists();
  from_checkpoint_ = options_.resume && has_checkpoint;
  fs::create_directories(run_dir_.checkpoints());
  // What a killed writer of this (now locked) run left half-written.
  remove_stale_temporaries(run_dir_.root());
  remove_stale_temporaries(run_dir_.checkpoints());
  if (!options_.resume) {
    YAML::Emitter yaml;
    yaml << experiment_.resolved;
    write_file_atomically(run_dir_.config(), std::string(yaml.c_str()) + "\n");
  }
  metrics_.emplace(run_dir_.root());
  // A run that never reached its first checkpoint (killed, or trained again)
  // starts over: what it logged goes, so no step is logged twice.
  if (!from_checkpoint_) metrics_->truncate_after(0);
  last_log_time_ = std::chrono::steady_clock::now();
}

void TrainingSession::record_episodes(const BatchView& batch) {
  for (int i = 0; i < batch.num_envs; ++i) {
    if (!batch.episode_ended(i)) continue;
    const float length = static_cast<float>(batch.episode_length[i]);
    const float* kpis = batch.episode_kpis + static_cast<ptrdiff_t>(i) * batch.num_kpis;
    if (options_.communicator) {
      pending_episodes_.push_back(batch.episode_return[i]);
      pending_episodes_.push_back(length);
      pending_episodes_.insert(pending_episodes_.end(), kpis, kpis + recent_kpis_.size());
    } else {
      add_episode(batch.episode_return[i], length, kpis);
    }
  }
}

void TrainingSession::add_episode(float episode_return, float length, const float* kpis) {
  const auto window = static_cast<size_t>(experiment_.agent.return_window);
  auto push = [window](std::deque<float>& values, float value) {
    values.push_back(value);
    if (values.size() > window) values.pop_front();
  };
  ++episodes_;
  push(recent_returns_, episode_return);
  push(recent_lengths_, length);
  for (size_t k = 0; k < recent_kpis_.size(); ++k) push(recent_kpis_[k], kpis[k]);
}

void TrainingSession::gather_episodes() {
  if (!options_.communicator) return;
  const std::string mine(reinterpret_cast<const char*>(pending_episodes_.data()),
                         pending_episodes_.size() * sizeof(float));
  pending_episodes_.clear();
  const size_t row = 2 + recent_kpis_.size();
  for (const std::string& rank_episodes :
       options_.communicator->all_gather_bytes(mine, "gathering the episodes")) {
    std::vector<float> values(rank_episodes.size() / sizeof(float));
    std::memcpy(values.data(), rank_episodes.data(), values.size() * sizeof(float));
    for (size_t first = 0; first + row <= values.size(); first += row)
      add_episode(values[first], values[first + 1], values.data() + first + 2);
  }
}

double TrainingSession::recent_return() const {
  return mean_of(recent_returns_);
}

void TrainingSession::log(int64_t step, std::vector<std::pair<std::string, double>> values) {
  gather_episodes();
  if (!writer()) {
    last_log_step_ = step;
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  const double seconds = std::chrono::duration<double>(now - last_log_time_).count();
  if (last_log_step_ >= 0 && seconds > 0)
    values.emplace_back("steps_per_second", (step - last_log_step_) / seconds);
  last_log_time_ = now;
  last_log_step_ = step;
  values.emplace_back("episode_return", recent_return());
  values.emplace_back("episode_length", mean_of(recent_lengths_));
  values.emplace_back("episodes", static_cast<double>(episodes_));
  const auto& kpi_names = experiment_.env_model->spec().kpi_names;
  for (size_t k = 0; k < kpi_names.size(); ++k)
    values.emplace_back("kpi/" + kpi_names[k], mean_of(recent_kpis_[k]));
  metrics_->log(step, values);
  progress_.update(step, recent_return());
}

bool TrainingSession::finished(int64_t step) const {
  return step >= experiment_.agent.total_steps ||
         (options_.stop_after_steps > 0 && step >= options_.stop_after_steps);
}

bool TrainingSession::checkpoint_due(int64_t step) const {
  return step - last_checkpoint_step_ >= experiment_.agent.checkpoint_every || finished(step);
}

void TrainingSession::save_checkpoint(int64_t step, const SaveAlgorithm& save_algorithm) {
  if (metrics_) metrics_->flush();  // the metrics up to the checkpoint are on disk before it is
  const double current = recent_return();
  // Until an episode has finished there is no return to judge by: best.pt is
  // then the latest policy, so that what reads best.pt (eval, view, export,
  // what-if) finds one after a run shorter than an episode.
  const bool no_return_yet = std::isnan(current) && std::isinf(best_return_);
  // A validator judges the checkpoint once it is written, below.
  const bool improved =
      !validator_ && (no_return_yet || (!std::isnan(current) && current > best_return_));
  if (improved && !no_return_yet) best_return_ = current;
  torch::serialize::OutputArchive archive;
  write_checkpoint_origin(archive, experiment_);
  archive.write("session/step", torch::tensor(step, torch::kInt64));
  archive.write("session/episodes", torch::tensor(episodes_, torch::kInt64));
  archive.write("session/best_return", torch::tensor(best_return_, torch::kFloat64));
  archive.write("session/recent_returns", to_tensor(recent_returns_));
  archive.write("session/recent_lengths", to_tensor(recent_lengths_));
  for (size_t k = 0; k < recent_kpis_.size(); ++k)
    archive.write("session/recent_kpi_" + std::to_string(k), to_tensor(recent_kpis_[k]));
  save_algorithm(archive);  // once per checkpoint: it may be collective
  if (writer()) {
    save_checkpoint_file(archive, run_dir_.checkpoint("latest"));
    bool best = improved;
    if (validator_) {
      // latest.pt holds the best validation return before its own: a resumed
      // run validates latest.pt again (load_checkpoint), to the same number.
      const double validation = validate(step, true);
      best = validation > best_return_;
      if (best) best_return_ = validation;
    }
    if (best) save_checkpoint_file(archive, run_dir_.checkpoint("best"));
  }
  last_checkpoint_step_ = step;
}

double TrainingSession::validate(int64_t step, bool log) {
  const EvaluationResult result = validator_(run_dir_.checkpoint("latest"));
  const double mean_return = mean_and_std(result.returns).first;
  if (log && metrics_) {
    std::vector<std::pair<std::string, double>> values = {{"eval/return", mean_return}};
    for (size_t k = 0; k < result.kpi_names.size(); ++k)
      values.emplace_back("eval/kpi/" + result.kpi_names[k], mean_and_std(result.kpis[k]).first);
    metrics_->log(step, values);
    metrics_->flush();
  }
  return mean_return;
}

void TrainingSession::record_if_due(int64_t step) {
  const AgentConfig& agent = experiment_.agent;
  if (!recorder_ || agent.record_episodes == 0 || step != last_checkpoint_step_ ||
      step == last_recording_step_)
    return;
  const bool due = step >= agent.total_steps ||
                   (agent.record_every > 0 &&
                    step / agent.record_every > last_recording_step_ / agent.record_every);
  if (!due) return;
  recorder_(step);
  last_recording_step_ = step;
}

int64_t TrainingSession::load_checkpoint(const LoadAlgorithm& load_algorithm) {
  int64_t step = 0;
  read_checkpoint_file(run_dir_.checkpoint("latest"), [&](torch::serialize::InputArchive& archive) {
    check_checkpoint_origin(archive, experiment_);
    step = read_tensor(archive, "session/step").item<int64_t>();
    episodes_ = read_tensor(archive, "session/episodes").item<int64_t>();
    best_return_ = read_tensor(archive, "session/best_return").item<double>();
    recent_returns_ = from_tensor(read_tensor(archive, "session/recent_returns"));
    recent_lengths_ = from_tensor(read_tensor(archive, "session/recent_lengths"));
    for (size_t k = 0; k < recent_kpis_.size(); ++k)
      recent_kpis_[k] =
          from_tensor(read_tensor(archive, "session/recent_kpi_" + std::to_string(k)));
    load_algorithm(archive);
  });
  if (validator_) {
    const double validation = validate(step, false);
    if (validation > best_return_) {
      best_return_ = validation;
      // A run killed between writing latest.pt and best.pt left best.pt behind.
      write_file_atomically(run_dir_.checkpoint("best"), read_file(run_dir_.checkpoint("latest")));
    }
  }
  if (metrics_) metrics_->truncate_after(step);
  last_checkpoint_step_ = step;
  last_recording_step_ = step;
  return step;
}

void TrainingSession::finish() {
  progress_.finish();
  if (metrics_) metrics_->flush();
}

}  // namespace twinrl

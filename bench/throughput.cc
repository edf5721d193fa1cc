#include "bench/throughput.h"

#include <chrono>
#include <stdexcept>
#include <vector>

#include "core/async_vec_env.h"
#include "core/vec_env.h"

namespace twinrl {
namespace {

// Random action batches drawn ahead of time, cycled through while timing.
class ActionTable {
 public:
  ActionTable(const EnvSpec& spec, int64_t rows, uint64_t seed) {
    Rng rng(seed);
    const int64_t size = spec.action_space.size();
    const int64_t numbers = kBatches * rows * size;
    if (spec.action_space.is_discrete()) {
      discrete_.resize(numbers);
      for (int64_t row = 0; row < kBatches * rows; ++row)
        spec.action_space.sample(rng, std::span(discrete_).subspan(row * size, size));
    } else {
      continuous_.resize(numbers);
      for (int64_t row = 0; row < kBatches * rows; ++row)
        spec.action_space.sample(rng, std::span(continuous_).subspan(row * size, size));
    }
    stride_ = rows * size;
  }

  ActionRef batch(int64_t round) const {
    const int64_t offset = (round % kBatches) * stride_;
    if (discrete_.empty()) return {continuous_.data() + offset, nullptr};
    return {nullptr, discrete_.data() + offset};
  }

 private:
  static constexpr int64_t kBatches = 16;
  std::vector<float> continuous_;
  std::vector<int64_t> discrete_;
  int64_t stride_ = 0;
};

// Runs warm-up rounds, then times `rounds` calls of step_round(round).
template <class StepRound>
double time_rounds(int64_t rounds, StepRound step_round) {
  const int64_t warm_up = rounds / 10 + 1;
  for (int64_t round = 0; round < warm_up; ++round) step_round(round);
  const auto start = std::chrono::steady_clock::now();
  for (int64_t round = 0; round < rounds; ++round) step_round(round);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

ThroughputResult measure_loop(std::shared_ptr<const EnvModel> model, const ThroughputOptions& o) {
  const EnvSpec& spec = model->spec();
  std::vector<std::unique_ptr<Env>> envs;
  std::vector<int> episode_steps(o.num_envs, 0);
  BatchBuffers buffers(spec, o.num_envs);
  const BatchView& batch = buffers.all();
  const int agents = spec.num_agents;
  const int64_t action_size = spec.action_space.size();
  for (int env = 0; env < o.num_envs; ++env) {
    envs.push_back(model->make_env());
    envs.back()->seed(stream_seed(o.seed, env));
    envs.back()->reset(batch.output(env));
  }
  const ActionTable actions(spec, batch.rows(), o.seed);
  const int64_t rounds = std::max<int64_t>(1, o.steps / o.num_envs);
  const double seconds = time_rounds(rounds, [&](int64_t round) {
    const ActionRef all = actions.batch(round);
    for (int env = 0; env < o.num_envs; ++env) {
      const EnvOutput out = batch.output(env);
      const StepStatus status =
          envs[env]->step(all.from_row(int64_t{env} * agents, action_size), out);
      if (status.terminated || status.truncated || ++episode_steps[env] == spec.max_episode_steps) {
        envs[env]->reset(out);
        episode_steps[env] = 0;
      }
    }
  });
  return {rounds * o.num_envs, seconds};
}

ThroughputResult measure_sync(std::shared_ptr<const EnvModel> model, const ThroughputOptions& o) {
  VecEnv vec_env(model, {.num_envs = o.num_envs, .threads = o.threads, .seed = o.seed});
  const ActionTable actions(vec_env.spec(), vec_env.batch().rows(), o.seed);
  vec_env.reset();
  const int64_t rounds = std::max<int64_t>(1, o.steps / o.num_envs);
  const double seconds =
      time_rounds(rounds, [&](int64_t round) { vec_env.step(actions.batch(round)); });
  return {rounds * o.num_envs, seconds};
}

ThroughputResult measure_async(std::shared_ptr<const EnvModel> model, const ThroughputOptions& o) {
  const int batch_size = o.batch_size > 0 ? o.batch_size : std::max(1, o.num_envs / 2);
  AsyncVecEnv vec_env(
      model,
      {.num_envs = o.num_envs, .batch_size = batch_size, .threads = o.threads, .seed = o.seed});
  const ActionTable actions(vec_env.spec(), int64_t{batch_size} * vec_env.spec().num_agents,
                            o.seed);
  vec_env.reset();
  const int64_t rounds = std::max<int64_t>(1, o.steps / batch_size);
  const double seconds = time_rounds(rounds, [&](int64_t round) {
    const BatchView& batch = vec_env.recv();
    vec_env.send(actions.batch(round), {batch.env_id, static_cast<size_t>(batch.num_envs)});
  });
  return {rounds * batch_size, seconds};
}

}  // namespace

StepMode parse_step_mode(const std::string& name) {
  if (name == "sync") return StepMode::kSync;
  if (name == "async") return StepMode::kAsync;
  if (name == "loop") return StepMode::kLoop;
  throw std::invalid_argument("unknown mode '" + name + "' (sync, async or loop)");
}

const char* step_mode_name(StepMode mode) {
  switch (mode) {
    case StepMode::kSync:
      return "sync";
    case StepMode::kAsync:
      return "async";
    case StepMode::kLoop:
      return "loop";
  }
  return "?";
}

ThroughputResult measure_throughput(std::shared_ptr<const EnvModel> model,
                                    const ThroughputOptions& options) {
  if (options.num_envs < 1 || options.threads < 1 || options.steps < 1)
    throw std::invalid_argument("num_envs, threads and steps must be at least 1");
  switch (options.mode) {
    case StepMode::kLoop:
      return measure_loop(std::move(model), options);
    case StepMode::kSync:
      return measure_sync(std::move(model), options);
    case StepMode::kAsync:
      return measure_async(std::move(model), options);
  }
  throw std::invalid_argument("unknown step mode");
}

}  // namespace twinrl

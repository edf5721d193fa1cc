#pragma once
// The env copies of one run and their episode bookkeeping: the per-env work
// that the synchronous and asynchronous runners share.
#include <functional>
#include <memory>
#include <vector>

#include "core/batch.h"
#include "core/env.h"

namespace twinrl {

// Called when an env's episode ends, before it is reset, with the env and
// where it wrote its last observation and rewards: for rollout recording.
// Runs on the worker thread that stepped the env.
using EpisodeEndHook = std::function<void(int env, const Env& ended, const EnvOutput& out)>;

class EnvGroup {
 public:
  // Env i is seeded with stream_seed(seed, first_index + i): the envs of one
  // process of a distributed run continue the streams of the ranks before it.
  EnvGroup(std::shared_ptr<const EnvModel> model, int num_envs, uint64_t seed,
           uint64_t first_index = 0);

  const EnvSpec& spec() const { return model_->spec(); }
  int size() const { return static_cast<int>(envs_.size()); }
  // Env `index`, for policies that read the full state (baselines).
  const Env& env(int index) const { return *envs_[index]; }

  // Throws std::invalid_argument unless `actions` holds the kind of numbers the
  // action space needs and every discrete action of `rows` rows is in range.
  void check_actions(const ActionRef& actions, int64_t rows) const;

  // Starts a new episode of env `env`, written into entry `entry` of `batch`.
  void reset(int env, const BatchView& batch, int entry);
  // Steps envs [first_env, last_env) into the consecutive entries of `batch`
  // from `first_entry` on, `actions` holding their rows in order. An env whose
  // episode ends keeps its final observation and episode figures, then is
  // reset in the same step.
  void step_range(int first_env, int last_env, const ActionRef& actions, const BatchView& batch,
                  int first_entry);

  void set_episode_end_hook(EpisodeEndHook hook) { episode_end_hook_ = std::move(hook); }

  // Every env's state and episode so far, for checkpoints.
  void save(StateWriter& out) const;
  void load(StateReader& in);

 private:
  void end_episode(int env, const BatchView& batch, int entry);
  // The model's parameter windows: opened or closed before the step at
  // which they start or end, and closed when an episode ends early.
  void step_windows(int env, int32_t step);
  void close_windows(int env);

  struct Episode {
    double total_reward = 0;
    int32_t length = 0;
  };

  std::shared_ptr<const EnvModel> model_;
  std::vector<std::unique_ptr<Env>> envs_;
  std::vector<Episode> episodes_;
  int num_agents_;
  int64_t action_size_;
  int64_t observation_size_;
  int max_episode_steps_;          // 0: no limit (a length never equals 0 after a step)
  std::vector<uint64_t> choices_;  // per discrete action dimension
  EpisodeEndHook episode_end_hook_;
  // Per env and window: whether it is open, and the value it replaced.
  struct OpenWindow {
    bool open = false;
    double replaced = 0;
  };
  std::vector<OpenWindow> windows_;  // env-major
};

}  // namespace twinrl

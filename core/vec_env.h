#pragma once
// The synchronous vectorized runner: steps all envs each call, on a worker pool
// created once, each thread taking one contiguous block of envs. Entry i of the
// batch is always env i, so tensors over batch() stay valid and see every step.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/batch.h"
#include "core/env_group.h"
#include "core/worker_pool.h"

namespace twinrl {

struct VecEnvOptions {
  int num_envs = 1;
  int threads = 1;
  uint64_t seed = 1;
  // Env i draws from stream first_env_index + i (see EnvGroup).
  uint64_t first_env_index = 0;
};

class VecEnv {
 public:
  VecEnv(std::shared_ptr<const EnvModel> model, const VecEnvOptions& options);

  const EnvSpec& spec() const { return envs_.spec(); }
  int num_envs() const { return envs_.size(); }
  const BatchView& batch() const { return buffers_.all(); }
  // Env `index`, for policies that read the full state (baselines).
  const Env& env(int index) const { return envs_.env(index); }

  // See EpisodeEndHook; null to remove.
  void set_episode_end_hook(EpisodeEndHook hook) { envs_.set_episode_end_hook(std::move(hook)); }

  // Resets every env; returns the batch with the first observations.
  const BatchView& reset();
  // Steps every env with `actions`, [num_envs * num_agents, action size] rows.
  const BatchView& step(const ActionRef& actions);

  // The envs and the current observations (and masks), for checkpoints: a
  // runner loaded from a save continues exactly as the saved one would have.
  std::vector<uint8_t> save() const;
  void load(std::span<const uint8_t> bytes);

 private:
  // Calls block(first, last) for each thread's contiguous range of envs.
  template <class Block>
  void for_each_block(Block block);

  EnvGroup envs_;
  BatchBuffers buffers_;
  WorkerPool pool_;
};

}  // namespace twinrl

#pragma once
// Batch buffers, struct of arrays. Rows are (env, agent) pairs flattened env-major,
// so one shared policy sees every agent of every env as a row.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>
#include <vector>

#include "core/env.h"

namespace twinrl {

struct BatchView {
  int num_envs = 0;  // envs in this batch
  int num_agents = 1;
  int64_t observation_size = 0;
  int64_t mask_size = 0;  // 0 when the env publishes no action mask
  int64_t num_kpis = 0;

  int32_t* env_id = nullptr;           // [num_envs]: which env each batch entry is
  float* observation = nullptr;        // [rows, observation_size]
  float* final_observation = nullptr;  // [rows, observation_size]; valid where the episode ended
  float* reward = nullptr;             // [rows]
  bool* terminated = nullptr;          // [rows]
  bool* truncated = nullptr;           // [rows]
  bool* action_mask = nullptr;         // [rows, mask_size] or null
  // Of the episode that ended at this step, valid where episode_ended(i):
  float* episode_return = nullptr;    // [num_envs]: sum over agents and steps
  int32_t* episode_length = nullptr;  // [num_envs]
  float* episode_kpis = nullptr;      // [num_envs, num_kpis]

  int64_t rows() const { return int64_t{num_envs} * num_agents; }
  bool episode_ended(int i) const {
    const int64_t row = int64_t{i} * num_agents;
    return terminated[row] || truncated[row];
  }
  // The entries [first, first + count) of this batch.
  BatchView slice(int first, int count) const;
  // Where the env of entry `entry` writes.
  EnvOutput output(int entry) const {
    const int64_t row = int64_t{entry} * num_agents;
    return {observation + row * observation_size, reward + row,
            action_mask ? action_mask + row * mask_size : nullptr};
  }
};

// Owns the arrays behind BatchViews, 64-byte aligned so that workers writing
// neighbouring blocks share as few cache lines as possible.
class BatchBuffers {
 public:
  BatchBuffers(const EnvSpec& spec, int capacity_envs);

  const BatchView& all() const { return view_; }

 private:
  struct Free {
    void operator()(void* p) const { std::free(p); }
  };
  template <class T>
  T* allocate(int64_t count);

  std::vector<std::unique_ptr<void, Free>> arrays_;
  BatchView view_;
};

}  // namespace twinrl

#pragma once
// An env's scripted policy acting on every env of a runner at once: what
// evaluation and PPO's warm start (warm_start.h) drive envs with.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/env.h"
#include "core/vec_env.h"

namespace twinrl {

// Buffers for one action row per (env, agent), of the kind the space needs.
struct ActionRows {
  ActionRows(const EnvSpec& spec, int64_t rows);
  // Where row `row` on goes.
  ActionOutput from_row(int64_t row);
  ActionRef all() const;

  int64_t row_size;
  std::vector<float> continuous;
  std::vector<int64_t> discrete;
};

// Writes the actions of every env of `envs` and returns where they are.
using Actor = std::function<ActionRef(const VecEnv& envs)>;

// Baseline `name` of `model` (one of its baseline_names()), reading each
// env's full state; `seed` for baselines that draw random numbers.
Actor baseline_actor(const EnvModel& model, const std::string& name, const VecEnv& envs,
                     uint64_t seed);

}  // namespace twinrl

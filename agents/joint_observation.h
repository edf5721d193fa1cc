#pragma once
// The input of a centralized critic (MAPPO: Yu et al., "The Surprising
// Effectiveness of PPO in Cooperative Multi-Agent Games", NeurIPS 2022): for
// each agent's row, the observations of every agent of its env, its own
// first, then the others' in agent order after it. The shared actor still
// sees its own row only. Envs lay their agents' rows out consecutively, in
// batches and so in rollouts flattened over steps, which is what the row
// arithmetic here relies on.
#include <torch/types.h>

#include <cstdint>

namespace twinrl {

// The row holding the k-th part of row `row`'s joint observation: that of the
// agent k after it (cyclically) in the same env.
inline int64_t joint_part_row(int64_t row, int64_t k, int64_t agents) {
  const int64_t agent = row % agents;
  return row - agent + (agent + k) % agents;
}

// Writes the joint observations of rows index[0..size) of `observations`
// (rows of observation_size floats), or of rows 0..size) where `index` is
// null, into `out` [size, agents * observation_size].
void gather_joint_observations(const float* observations, int64_t observation_size, int64_t agents,
                               const int64_t* index, int64_t size, float* out);

// The joint observations of every row of `observations` [rows, size], whose
// rows are whole envs' (rows a multiple of `agents`).
torch::Tensor joint_observations(const torch::Tensor& observations, int64_t agents);

}  // namespace twinrl

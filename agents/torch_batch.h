#pragma once
// LibTorch tensors over the runner's batch buffers, without copying: they see
// every later step of a synchronous runner, whose buffers never move.
#include <torch/types.h>

#include "core/batch.h"
#include "core/env.h"

namespace twinrl {

struct TorchBatch {
  torch::Tensor env_id;             // int32 [num_envs]
  torch::Tensor observation;        // float [rows, observation size]
  torch::Tensor final_observation;  // float [rows, observation size]
  torch::Tensor reward;             // float [rows]
  torch::Tensor terminated;         // bool [rows]
  torch::Tensor truncated;          // bool [rows]
  torch::Tensor action_mask;        // bool [rows, mask size]; undefined without a mask
  torch::Tensor episode_return;     // float [num_envs]
  torch::Tensor episode_length;     // int32 [num_envs]
  torch::Tensor episode_kpis;       // float [num_envs, KPIs]
};

TorchBatch as_tensors(const BatchView& batch);

// The actions of `rows` rows in a tensor of rows * action size numbers
// ([rows] or [rows, size]): float32 for Box spaces, int64 for discrete ones.
// Throws std::invalid_argument on another type, size or a strided tensor.
ActionRef action_ref(const torch::Tensor& actions, const EnvSpec& spec, int64_t rows);

}  // namespace twinrl

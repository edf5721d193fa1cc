#include "agents/torch_batch.h"

#include <stdexcept>
#include <string>

namespace twinrl {
namespace {

template <class T>
torch::Tensor wrap(T* data, std::vector<int64_t> shape, torch::ScalarType type) {
  return torch::from_blob(data, shape, torch::TensorOptions().dtype(type));
}

}  // namespace

TorchBatch as_tensors(const BatchView& batch) {
  const int64_t rows = batch.rows();
  TorchBatch tensors;
  tensors.env_id = wrap(batch.env_id, {batch.num_envs}, torch::kInt32);
  tensors.observation = wrap(batch.observation, {rows, batch.observation_size}, torch::kFloat32);
  tensors.final_observation =
      wrap(batch.final_observation, {rows, batch.observation_size}, torch::kFloat32);
  tensors.reward = wrap(batch.reward, {rows}, torch::kFloat32);
  tensors.terminated = wrap(batch.terminated, {rows}, torch::kBool);
  tensors.truncated = wrap(batch.truncated, {rows}, torch::kBool);
  if (batch.action_mask)
    tensors.action_mask = wrap(batch.action_mask, {rows, batch.mask_size}, torch::kBool);
  tensors.episode_return = wrap(batch.episode_return, {batch.num_envs}, torch::kFloat32);
  tensors.episode_length = wrap(batch.episode_length, {batch.num_envs}, torch::kInt32);
  tensors.episode_kpis =
      wrap(batch.episode_kpis, {batch.num_envs, batch.num_kpis}, torch::kFloat32);
  return tensors;
}

ActionRef action_ref(const torch::Tensor& actions, const EnvSpec& spec, int64_t rows) {
  if (!actions.is_contiguous() || !actions.device().is_cpu())
    throw std::invalid_argument("actions must be a contiguous CPU tensor");
  const int64_t expected = rows * spec.action_space.size();
  if (actions.numel() != expected)
    throw std::invalid_argument("expected " + std::to_string(expected) + " action numbers for " +
                                std::to_string(rows) + " rows of " + spec.action_space.describe() +
                                ", got " + std::to_string(actions.numel()));
  if (spec.action_space.is_discrete()) {
    if (actions.scalar_type() != torch::kInt64)
      throw std::invalid_argument(spec.id + " takes int64 actions");
    return {nullptr, actions.data_ptr<int64_t>()};
  }
  if (actions.scalar_type() != torch::kFloat32)
    throw std::invalid_argument(spec.id + " takes float32 actions");
  return {actions.data_ptr<float>(), nullptr};
}

}  // namespace twinrl

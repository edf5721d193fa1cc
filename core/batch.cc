#include "core/batch.h"

#include <algorithm>
#include <new>

namespace twinrl {

BatchView BatchView::slice(int first, int count) const {
  BatchView part = *this;
  const int64_t row = int64_t{first} * num_agents;
  part.num_envs = count;
  part.env_id += first;
  part.observation += row * observation_size;
  part.final_observation += row * observation_size;
  part.reward += row;
  part.terminated += row;
  part.truncated += row;
  if (action_mask) part.action_mask += row * mask_size;
  part.episode_return += first;
  part.episode_length += first;
  part.episode_kpis += int64_t{first} * num_kpis;
  return part;
}

template <class T>
T* BatchBuffers::allocate(int64_t count) {
  constexpr size_t kAlignment = 64;
  const size_t bytes =
      std::max<size_t>(kAlignment, (count * sizeof(T) + kAlignment - 1) / kAlignment * kAlignment);
  void* memory = std::aligned_alloc(kAlignment, bytes);
  if (!memory) throw std::bad_alloc();
  std::fill_n(static_cast<char*>(memory), bytes, 0);
  arrays_.emplace_back(memory);
  return static_cast<T*>(memory);
}

BatchBuffers::BatchBuffers(const EnvSpec& spec, int capacity_envs) {
  view_.num_envs = capacity_envs;
  view_.num_agents = spec.num_agents;
  view_.observation_size = spec.observation_space.size();
  view_.mask_size = spec.has_action_mask ? spec.action_space.mask_size() : 0;
  view_.num_kpis = std::ssize(spec.kpi_names);
  const int64_t rows = view_.rows();
  view_.env_id = allocate<int32_t>(capacity_envs);
  view_.observation = allocate<float>(rows * view_.observation_size);
  view_.final_observation = allocate<float>(rows * view_.observation_size);
  view_.reward = allocate<float>(rows);
  view_.terminated = allocate<bool>(rows);
  view_.truncated = allocate<bool>(rows);
  view_.action_mask = view_.mask_size ? allocate<bool>(rows * view_.mask_size) : nullptr;
  view_.episode_return = allocate<float>(capacity_envs);
  view_.episode_length = allocate<int32_t>(capacity_envs);
  view_.episode_kpis = allocate<float>(int64_t{capacity_envs} * view_.num_kpis);
}

}  // namespace twinrl

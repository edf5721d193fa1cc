#include "core/vec_env.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace twinrl {

VecEnv::VecEnv(std::shared_ptr<const EnvModel> model, const VecEnvOptions& options)
    : envs_(std::move(model), options.num_envs, options.seed, options.first_env_index),
      buffers_(envs_.spec(), options.num_envs),
      pool_(std::clamp(options.threads, 1, options.num_envs)) {
  std::iota(batch().env_id, batch().env_id + num_envs(), 0);
}

template <class Block>
void VecEnv::for_each_block(Block block) {
  const int parts = pool_.size();
  const int envs = num_envs();
  auto part_block = [&](int part) {
    block(static_cast<int>(int64_t{envs} * part / parts),
          static_cast<int>(int64_t{envs} * (part + 1) / parts));
  };
  pool_.run(part_block);
}

std::vector<uint8_t> VecEnv::save() const {
  StateWriter out;
  envs_.save(out);
  const BatchView& b = batch();
  out.write(std::span<const float>(b.observation, b.rows() * b.observation_size));
  if (b.action_mask) out.write(std::span<const bool>(b.action_mask, b.rows() * b.mask_size));
  return out.bytes();
}

void VecEnv::load(std::span<const uint8_t> bytes) {
  StateReader in(bytes);
  envs_.load(in);
  const BatchView& b = batch();
  in.read(std::span<float>(b.observation, b.rows() * b.observation_size));
  if (b.action_mask) in.read(std::span<bool>(b.action_mask, b.rows() * b.mask_size));
  if (!in.at_end()) throw std::runtime_error("runner state: unexpected trailing bytes");
}

const BatchView& VecEnv::reset() {
  for_each_block([this](int first, int last) {
    for (int env = first; env < last; ++env) envs_.reset(env, batch(), env);
  });
  return batch();
}

const BatchView& VecEnv::step(const ActionRef& actions) {
  envs_.check_actions(actions, batch().rows());
  const int64_t rows_per_env = spec().num_agents;
  const int64_t action_size = spec().action_space.size();
  for_each_block([&](int first, int last) {
    envs_.step_range(first, last, actions.from_row(first * rows_per_env, action_size), batch(),
                     first);
  });
  return batch();
}

}  // namespace twinrl

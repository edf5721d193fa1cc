#include "core/vec_env.h"

#include <algorithm>
#include <numeric>

namespace twinrl {

VecEnv::VecEnv(std::shared_ptr<const EnvModel> model, const VecEnvOptions& options)
    : envs_(std::move(model), options.num_envs, options.seed),
      buffers_(envs_.spec(), options.num_envs),
      pool_(std::clamp(options.threads, 1, options.num_envs)) {
  std::iota(batch().env_id, batch().env_id + num_envs(), 0);
}

template <class PerEnv>
void VecEnv::for_each_env(PerEnv per_env) {
  const int parts = pool_.size();
  const int envs = num_envs();
  auto block = [&](int part) {
    const int first = static_cast<int>(int64_t{envs} * part / parts);
    const int last = static_cast<int>(int64_t{envs} * (part + 1) / parts);
    for (int env = first; env < last; ++env) per_env(env);
  };
  pool_.run(block);
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
  for_each_env([this](int env) { envs_.reset(env, batch(), env); });
  return batch();
}

const BatchView& VecEnv::step(const ActionRef& actions) {
  envs_.check_actions(actions, batch().rows());
  const int agents = spec().num_agents;
  const int64_t action_size = spec().action_space.size();
  for_each_env([&](int env) {
    envs_.step(env, actions.from_row(int64_t{env} * agents, action_size), batch(), env);
  });
  return batch();
}

}  // namespace twinrl

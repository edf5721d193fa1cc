#include "core/env_group.h"

#include <algorithm>
#include <span>
#include <stdexcept>
#include <string>

namespace twinrl {

EnvGroup::EnvGroup(std::shared_ptr<const EnvModel> model, int num_envs, uint64_t seed)
    : model_(std::move(model)),
      num_agents_(model_->spec().num_agents),
      action_size_(model_->spec().action_space.size()),
      observation_size_(model_->spec().observation_space.size()) {
  if (num_envs < 1) throw std::invalid_argument("num_envs must be at least 1");
  envs_.reserve(num_envs);
  for (int i = 0; i < num_envs; ++i) {
    envs_.push_back(model_->make_env());
    envs_.back()->seed(stream_seed(seed, i));
  }
  episodes_.resize(num_envs);
}

void EnvGroup::check_actions(const ActionRef& actions, int64_t rows) const {
  const Space& space = spec().action_space;
  if (!space.is_discrete()) {
    if (!actions.continuous)
      throw std::invalid_argument(spec().id + " takes float actions for " + space.describe());
    return;
  }
  if (!actions.discrete)
    throw std::invalid_argument(spec().id + " takes integer actions for " + space.describe());
  for (int64_t row = 0; row < rows; ++row) {
    const std::span<const int64_t> action(actions.discrete + row * action_size_, action_size_);
    if (!space.contains(action))
      throw std::invalid_argument("action of row " + std::to_string(row) + " is outside " +
                                  space.describe());
  }
}

void EnvGroup::reset(int env, const BatchView& batch, int entry) {
  const int64_t row = int64_t{entry} * num_agents_;
  envs_[env]->reset(batch.output(entry));
  std::fill_n(batch.reward + row, num_agents_, 0.0f);
  std::fill_n(batch.terminated + row, num_agents_, false);
  std::fill_n(batch.truncated + row, num_agents_, false);
  episodes_[env] = {};
}

void EnvGroup::step(int env, const ActionRef& actions, const BatchView& batch, int entry) {
  const int64_t row = int64_t{entry} * num_agents_;
  const EnvOutput out = batch.output(entry);
  StepStatus status = envs_[env]->step(actions, out);

  Episode& episode = episodes_[env];
  for (int agent = 0; agent < num_agents_; ++agent) episode.total_reward += out.reward[agent];
  ++episode.length;
  const int limit = spec().max_episode_steps;
  if (limit > 0 && episode.length >= limit) status.truncated = true;
  std::fill_n(batch.terminated + row, num_agents_, status.terminated);
  std::fill_n(batch.truncated + row, num_agents_, status.truncated);
  if (!status.terminated && !status.truncated) return;

  std::copy_n(out.observation, num_agents_ * observation_size_,
              batch.final_observation + row * observation_size_);
  batch.episode_return[entry] = static_cast<float>(episode.total_reward);
  batch.episode_length[entry] = episode.length;
  envs_[env]->episode_kpis({batch.episode_kpis + entry * batch.num_kpis,
                            static_cast<size_t>(batch.num_kpis)});
  envs_[env]->reset(out);
  episode = {};
}

}  // namespace twinrl

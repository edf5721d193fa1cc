#include "core/env_group.h"

#include <algorithm>
#include <span>
#include <stdexcept>
#include <string>

namespace twinrl {

EnvGroup::EnvGroup(std::shared_ptr<const EnvModel> model, int num_envs, uint64_t seed,
                   uint64_t first_index)
    : model_(std::move(model)),
      num_agents_(model_->spec().num_agents),
      action_size_(model_->spec().action_space.size()),
      observation_size_(model_->spec().observation_space.size()),
      max_episode_steps_(model_->spec().max_episode_steps),
      choices_(model_->spec().action_space.nvec().begin(),
               model_->spec().action_space.nvec().end()) {
  if (num_envs < 1) throw std::invalid_argument("num_envs must be at least 1");
  envs_.reserve(num_envs);
  for (int i = 0; i < num_envs; ++i) {
    envs_.push_back(model_->make_env());
    envs_.back()->seed(stream_seed(seed, first_index + i));
  }
  episodes_.resize(num_envs);
  windows_.resize(model_->windows().size() * num_envs);
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
  // Branch-free over the whole batch (negative actions wrap to huge unsigned
  // values); the offending row is looked for only once something is wrong.
  bool all_valid = true;
  if (action_size_ == 1) {  // Discrete: a loop the compiler vectorizes
    for (int64_t row = 0; row < rows; ++row)
      all_valid &= static_cast<uint64_t>(actions.discrete[row]) < choices_[0];
  } else {
    for (int64_t row = 0; row < rows; ++row)
      for (int64_t d = 0; d < action_size_; ++d)
        all_valid &= static_cast<uint64_t>(actions.discrete[row * action_size_ + d]) < choices_[d];
  }
  if (all_valid) return;
  for (int64_t row = 0; row < rows; ++row) {
    const std::span<const int64_t> action(actions.discrete + row * action_size_, action_size_);
    if (!space.contains(action))
      throw std::invalid_argument("action of row " + std::to_string(row) + " is outside " +
                                  space.describe());
  }
}

namespace {

// The runner's per-step writes: single-agent envs, the common case, skip the
// library call that fill_n becomes for a run-time count.
template <class T>
void fill_agents(T* first, int agents, T value) {
  if (agents == 1)
    *first = value;
  else
    std::fill_n(first, agents, value);
}

}  // namespace

void EnvGroup::save(StateWriter& out) const {
  out.write(static_cast<int32_t>(envs_.size()));
  for (size_t env = 0; env < envs_.size(); ++env) {
    envs_[env]->save(out);
    out.write(episodes_[env]);
  }
}

void EnvGroup::load(StateReader& in) {
  if (in.read<int32_t>() != size())
    throw std::runtime_error("the checkpoint holds a different number of envs");
  for (size_t env = 0; env < envs_.size(); ++env) {
    envs_[env]->load(in);
    episodes_[env] = in.read<Episode>();
  }
}

void EnvGroup::step_windows(int env, int32_t step) {
  const std::vector<ParameterWindow>& windows = model_->windows();
  OpenWindow* states = windows_.data() + env * windows.size();
  // Those ending first, so that a window starting where another ends on the
  // same parameter replaces the value from before both.
  for (size_t w = 0; w < windows.size(); ++w)
    if (step == windows[w].to_step && states[w].open) {
      envs_[env]->set_parameter(windows[w].parameter, states[w].replaced);
      states[w].open = false;
    }
  for (size_t w = 0; w < windows.size(); ++w)
    if (step == windows[w].from_step) {
      states[w] = {.open = true, .replaced = envs_[env]->parameter(windows[w].parameter)};
      envs_[env]->set_parameter(windows[w].parameter, windows[w].value);
    }
}

void EnvGroup::close_windows(int env) {
  const std::vector<ParameterWindow>& windows = model_->windows();
  // Latest first, so that each parameter gets back the value before them all.
  for (size_t w = windows.size(); w-- > 0;) {
    OpenWindow& state = windows_[env * windows.size() + w];
    if (state.open) envs_[env]->set_parameter(windows[w].parameter, state.replaced);
    state.open = false;
  }
}

void EnvGroup::reset(int env, const BatchView& batch, int entry) {
  const int64_t row = int64_t{entry} * num_agents_;
  if (!windows_.empty()) close_windows(env);
  envs_[env]->reset(batch.output(entry));
  fill_agents(batch.reward + row, num_agents_, 0.0f);
  fill_agents(batch.terminated + row, num_agents_, false);
  fill_agents(batch.truncated + row, num_agents_, false);
  episodes_[env] = {};
}

void EnvGroup::step_range(int first_env, int last_env, const ActionRef& actions,
                          const BatchView& batch, int first_entry) {
  // The hot loop of the runner: pointers advance by one env per iteration and
  // the rare episode end is handled out of line.
  const int agents = num_agents_;
  const int64_t observation_stride = agents * observation_size_;
  const int64_t mask_stride = agents * batch.mask_size;
  const int64_t first_row = int64_t{first_entry} * agents;
  float* observation = batch.observation + first_row * observation_size_;
  float* reward = batch.reward + first_row;
  bool* terminated = batch.terminated + first_row;
  bool* truncated = batch.truncated + first_row;
  bool* mask = batch.action_mask ? batch.action_mask + first_row * batch.mask_size : nullptr;
  ActionRef action = actions;
  for (int env = first_env, entry = first_entry; env < last_env; ++env, ++entry) {
    Episode& episode = episodes_[env];
    if (!windows_.empty()) [[unlikely]]
      step_windows(env, episode.length);
    StepStatus status = envs_[env]->step(action, {observation, reward, mask});
    for (int agent = 0; agent < agents; ++agent) episode.total_reward += reward[agent];
    ++episode.length;
    if (episode.length == max_episode_steps_) status.truncated = true;
    fill_agents(terminated, agents, status.terminated);
    fill_agents(truncated, agents, status.truncated);
    if (status.terminated || status.truncated) [[unlikely]]
      end_episode(env, batch, entry);
    observation += observation_stride;
    reward += agents;
    terminated += agents;
    truncated += agents;
    if (mask) mask += mask_stride;
    action = action.from_row(agents, action_size_);
  }
}

void EnvGroup::end_episode(int env, const BatchView& batch, int entry) {
  const int64_t row = int64_t{entry} * num_agents_;
  const EnvOutput out = batch.output(entry);
  if (episode_end_hook_) episode_end_hook_(env, *envs_[env], out);
  std::copy_n(out.observation, num_agents_ * observation_size_,
              batch.final_observation + row * observation_size_);
  Episode& episode = episodes_[env];
  batch.episode_return[entry] = static_cast<float>(episode.total_reward);
  batch.episode_length[entry] = episode.length;
  envs_[env]->episode_kpis(
      {batch.episode_kpis + entry * batch.num_kpis, static_cast<size_t>(batch.num_kpis)});
  if (!windows_.empty()) close_windows(env);
  envs_[env]->reset(out);
  episode = {};
}

}  // namespace twinrl

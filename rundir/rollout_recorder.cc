#include "rundir/rollout_recorder.h"

#include <stdexcept>

namespace twinrl {

RolloutHeader make_rollout_header(const EnvSpec& spec, std::string config_yaml, std::string policy,
                                  int64_t training_step, uint64_t seed) {
  return {.env_id = spec.id,
          .config_yaml = std::move(config_yaml),
          .policy = std::move(policy),
          .training_step = training_step,
          .seed = seed,
          .num_agents = spec.num_agents,
          .observation_size = spec.observation_space.size(),
          .action_size = spec.action_space.size(),
          .discrete_actions = spec.action_space.is_discrete(),
          .control_period_s = spec.control_period_s,
          .observation_names = spec.observation_names,
          .action_names = spec.action_names,
          .kpi_names = spec.kpi_names};
}

RolloutRecorder::RolloutRecorder(RolloutHeader header, int episodes)
    : rollout_{std::move(header), std::vector<RolloutEpisode>(episodes)},
      open_(episodes, false),
      last_steps_(episodes) {
  if (episodes < 1) throw std::invalid_argument("record at least one episode");
}

RolloutRecorder::~RolloutRecorder() {
  stop_hook();
}

void RolloutRecorder::stop_hook() {
  if (envs_) envs_->set_episode_end_hook(nullptr);
  envs_ = nullptr;
}

void RolloutRecorder::record_state(const Env& env, RolloutStep& step) const {
  step.kpis.assign(rollout_.header.kpi_names.size(), 0.0f);
  env.episode_kpis(step.kpis);
  env.render_state(step.state);
}

void RolloutRecorder::start(VecEnv& envs) {
  if (envs.num_envs() < episodes())
    throw std::invalid_argument("recording " + std::to_string(episodes()) +
                                " episodes needs as many envs, not " +
                                std::to_string(envs.num_envs()));
  const BatchView& batch = envs.batch();
  const int64_t row_numbers = batch.num_agents * batch.observation_size;
  for (int env = 0; env < episodes(); ++env) {
    RolloutEpisode& episode = rollout_.episodes[env];
    episode = {};
    envs.env(env).render_scene(episode.scene);
    RolloutStep& first = episode.steps.emplace_back();
    const float* observation = batch.observation + env * row_numbers;
    first.observation.assign(observation, observation + row_numbers);
    record_state(envs.env(env), first);
    open_[env] = true;
  }
  open_episodes_ = episodes();
  envs_ = &envs;
  // Each env's hook call comes from the one worker stepping it: the slots
  // of different envs are written by different threads, never the same one.
  envs.set_episode_end_hook([this, row_numbers, agents = batch.num_agents](
                                int env, const Env& ended, const EnvOutput& out) {
    if (env >= episodes() || !open_[env]) return;
    LastStep& last = last_steps_[env];
    last.observation.assign(out.observation, out.observation + row_numbers);
    last.reward.assign(out.reward, out.reward + agents);
    last.kpis.assign(rollout_.header.kpi_names.size(), 0.0f);
    ended.episode_kpis(last.kpis);
    last.state = nlohmann::json();
    ended.render_state(last.state);
  });
}

void RolloutRecorder::record_step(const VecEnv& envs, const ActionRef& actions) {
  const BatchView& batch = envs.batch();
  const int agents = batch.num_agents;
  const int64_t row_numbers = agents * batch.observation_size;
  const int64_t action_numbers = agents * rollout_.header.action_size;
  for (int env = 0; env < episodes(); ++env) {
    if (!open_[env]) continue;
    RolloutEpisode& episode = rollout_.episodes[env];
    RolloutStep& step = episode.steps.emplace_back();
    const int64_t first_action = env * action_numbers;
    for (int64_t i = first_action; i < first_action + action_numbers; ++i)
      step.action.push_back(actions.continuous ? actions.continuous[i]
                                               : static_cast<float>(actions.discrete[i]));
    const int64_t row = int64_t{env} * agents;
    step.terminated = batch.terminated[row];
    step.truncated = batch.truncated[row];
    if (!batch.episode_ended(env)) {
      const float* observation = batch.observation + env * row_numbers;
      step.observation.assign(observation, observation + row_numbers);
      step.reward.assign(batch.reward + row, batch.reward + row + agents);
      record_state(envs.env(env), step);
      continue;
    }
    LastStep& last = last_steps_[env];
    step.observation = std::move(last.observation);
    step.reward = std::move(last.reward);
    step.kpis = std::move(last.kpis);
    step.state = std::move(last.state);
    episode.episode_return = batch.episode_return[env];
    episode.kpis.assign(batch.episode_kpis + env * batch.num_kpis,
                        batch.episode_kpis + (env + 1) * batch.num_kpis);
    open_[env] = false;
    if (--open_episodes_ == 0) stop_hook();
  }
}

}  // namespace twinrl

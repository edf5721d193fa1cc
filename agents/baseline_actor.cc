#include "agents/baseline_actor.h"

#include <memory>

namespace twinrl {

ActionRows::ActionRows(const EnvSpec& spec, int64_t rows)
    : row_size(spec.action_space.size()),
      continuous(spec.action_space.is_discrete() ? 0 : rows * row_size),
      discrete(spec.action_space.is_discrete() ? rows * row_size : 0) {}

ActionOutput ActionRows::from_row(int64_t row) {
  return {continuous.empty() ? nullptr : continuous.data() + row * row_size,
          discrete.empty() ? nullptr : discrete.data() + row * row_size};
}

ActionRef ActionRows::all() const {
  return {continuous.empty() ? nullptr : continuous.data(),
          discrete.empty() ? nullptr : discrete.data()};
}

Actor baseline_actor(const EnvModel& model, const std::string& name, const VecEnv& envs,
                     uint64_t seed) {
  std::shared_ptr<const BaselinePolicy> policy = model.make_baseline(name, seed);
  auto rows = std::make_shared<ActionRows>(model.spec(), envs.batch().rows());
  const int num_agents = model.spec().num_agents;
  return [policy, rows, num_agents](const VecEnv& envs) {
    for (int env = 0; env < envs.num_envs(); ++env)
      policy->act(envs.env(env), rows->from_row(int64_t{env} * num_agents));
    return rows->all();
  };
}

}  // namespace twinrl

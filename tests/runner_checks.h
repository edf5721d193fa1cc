#pragma once
// The runner checks every environment's tests make: a run gives the same
// outputs for any number of threads, and a runner loaded from a save
// continues exactly as the saved one does.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <vector>

#include "config/config_node.h"
#include "core/baseline_policy.h"
#include "core/rng.h"
#include "core/vec_env.h"

namespace twinrl::test_support {

// `env.randomize` YAML for make_model ("" randomizes nothing).
inline ConfigNode randomize(const std::string& yaml) {
  return yaml.empty() ? ConfigNode() : parse_config_text(yaml, "randomize.yaml");
}

// A new env of `model`, as its own type.
template <class EnvType>
std::unique_ptr<EnvType> make_typed_env(const EnvModel& model) {
  return std::unique_ptr<EnvType>(static_cast<EnvType*>(model.make_env().release()));
}

// The actions of every row of `envs` at step `step`. A chooser depends on the
// step and the envs' state only, so two runners in one state get one action.
using ActionChooser = std::function<ActionRef(const VecEnv& envs, int64_t step)>;

// Buffers for one action row per (env, agent), shared by a chooser's copies.
struct ActionRows {
  std::vector<float> continuous;
  std::vector<int64_t> discrete;

  ActionOutput resize(const VecEnv& envs) {
    const int64_t size = envs.batch().rows() * envs.spec().action_space.size();
    continuous.resize(size);
    discrete.resize(size);
    return {continuous.data(), discrete.data()};
  }
  ActionRef of(const VecEnv& envs) const {
    if (envs.spec().action_space.is_discrete()) return {nullptr, discrete.data()};
    return {continuous.data(), nullptr};
  }
};

// Uniform over the actions the masks allow, drawn from a generator seeded by (seed, step).
inline ActionChooser random_actions(uint64_t seed) {
  auto rows = std::make_shared<ActionRows>();
  return [rows, seed](const VecEnv& envs, int64_t step) {
    const Space& space = envs.spec().action_space;
    const BatchView& batch = envs.batch();
    const int64_t size = space.size();
    const ActionOutput out = rows->resize(envs);
    Rng rng(stream_seed(seed, static_cast<uint64_t>(step)));
    for (int64_t row = 0; row < batch.rows(); ++row) {
      if (!space.is_discrete()) {
        space.sample(rng, std::span(out.continuous + row * size, size));
        continue;
      }
      std::span<const bool> mask;
      if (batch.action_mask)
        mask = std::span(batch.action_mask + row * batch.mask_size,
                         static_cast<size_t>(batch.mask_size));
      space.sample(rng, std::span(out.discrete + row * size, size), mask);
    }
    return rows->of(envs);
  };
}

// A scripted policy acting for every env.
inline ActionChooser baseline_actions(std::shared_ptr<const BaselinePolicy> policy) {
  auto rows = std::make_shared<ActionRows>();
  return [rows, policy](const VecEnv& envs, int64_t) {
    const ActionOutput out = rows->resize(envs);
    const bool discrete = envs.spec().action_space.is_discrete();
    const int64_t env_size = envs.spec().num_agents * envs.spec().action_space.size();
    for (int env = 0; env < envs.num_envs(); ++env) {
      const int64_t first = env * env_size;
      policy->act(envs.env(env), discrete ? ActionOutput{nullptr, out.discrete + first}
                                          : ActionOutput{out.continuous + first, nullptr});
    }
    return rows->of(envs);
  };
}

// Every output of `steps` steps of a fresh runner: observations, rewards and
// flags, and the final observation, return and KPIs of each ended episode.
inline std::vector<float> record_run(std::shared_ptr<const EnvModel> model,
                                     const VecEnvOptions& options, int steps,
                                     const ActionChooser& choose) {
  VecEnv envs(std::move(model), options);
  const BatchView& batch = envs.reset();
  const int64_t observations = batch.rows() * batch.observation_size;
  std::vector<float> record(batch.observation, batch.observation + observations);
  for (int64_t step = 0; step < steps; ++step) {
    envs.step(choose(envs, step));
    record.insert(record.end(), batch.observation, batch.observation + observations);
    record.insert(record.end(), batch.reward, batch.reward + batch.rows());
    record.insert(record.end(), batch.terminated, batch.terminated + batch.rows());
    record.insert(record.end(), batch.truncated, batch.truncated + batch.rows());
    for (int env = 0; env < batch.num_envs; ++env) {
      if (!batch.episode_ended(env)) continue;
      const int64_t env_observations = int64_t{batch.num_agents} * batch.observation_size;
      record.insert(record.end(), batch.final_observation + env * env_observations,
                    batch.final_observation + (env + 1) * env_observations);
      record.push_back(batch.episode_return[env]);
      record.insert(record.end(), batch.episode_kpis + env * batch.num_kpis,
                    batch.episode_kpis + (env + 1) * batch.num_kpis);
    }
  }
  return record;
}

// Runs `before` steps on 2 threads, saves, loads the save into a runner with
// another seed on 1 thread, and expects both to give the same outputs for
// `after` more steps. Returns the episodes that ended while comparing (-1
// after a difference).
inline int expect_save_load_continues_identically(std::shared_ptr<const EnvModel> model,
                                                  int num_envs, int before, int after,
                                                  const ActionChooser& choose) {
  VecEnv original(model, {.num_envs = num_envs, .threads = 2, .seed = 4});
  original.reset();
  for (int64_t step = 0; step < before; ++step) original.step(choose(original, step));
  VecEnv restored(model, {.num_envs = num_envs, .threads = 1, .seed = 99});
  restored.load(original.save());
  int episodes = 0;
  for (int64_t step = before; step < before + after; ++step) {
    const BatchView& x = original.step(choose(original, step));
    const BatchView& y = restored.step(choose(restored, step));
    bool same =
        std::equal(x.observation, x.observation + x.rows() * x.observation_size, y.observation) &&
        std::equal(x.reward, x.reward + x.rows(), y.reward) &&
        std::equal(x.terminated, x.terminated + x.rows(), y.terminated) &&
        std::equal(x.truncated, x.truncated + x.rows(), y.truncated);
    for (int env = 0; same && env < num_envs; ++env) {
      if (!x.episode_ended(env)) continue;
      ++episodes;
      same = x.episode_return[env] == y.episode_return[env] &&
             std::equal(x.episode_kpis + env * x.num_kpis, x.episode_kpis + (env + 1) * x.num_kpis,
                        y.episode_kpis + env * y.num_kpis);
    }
    if (!same) {
      ADD_FAILURE() << "the restored runner differs at step " << step;
      return -1;
    }
  }
  return episodes;
}

}  // namespace twinrl::test_support

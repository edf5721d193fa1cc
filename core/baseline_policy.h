#pragma once
// Scripted policies that read an env's full state: the heuristics operations
// people use today (greedy dispatch, base-stock), which RL is measured against.
#include <cstdint>

namespace twinrl {

class Env;

// Where a policy writes one env's actions: num_agents rows of
// action_space.size() numbers. As in ActionRef, exactly one pointer is set.
struct ActionOutput {
  float* continuous = nullptr;
  int64_t* discrete = nullptr;
};

class BaselinePolicy {
 public:
  virtual ~BaselinePolicy() = default;
  // Writes the actions of every agent of `env`, an env made by the model that
  // made this policy. Called for many envs, possibly from several threads at
  // once: it must not change shared state.
  virtual void act(const Env& env, const ActionOutput& out) const = 0;
};

}  // namespace twinrl

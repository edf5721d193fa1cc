#pragma once
// A test environment whose every output is predictable: observation per agent
// (episode id, step in episode, agent index, last action), reward per agent
// (action + agent index), termination after `terminate_after` steps.
#include <stdexcept>

#include "core/env.h"

namespace twinrl::testing {

struct CountingParams {
  int num_agents = 1;
  int terminate_after = 0;    // 0: never terminates by itself
  int max_episode_steps = 0;  // the runner's time limit
  int throw_at_step = 0;      // step() throws at this step, to test error paths; 0: never
};

class CountingModel : public EnvModel {
 public:
  explicit CountingModel(const CountingParams& params)
      : EnvModel(spec_of(params)), params_(params) {}
  const CountingParams& params() const { return params_; }

 protected:
  std::unique_ptr<Env> create_env() const override;

 private:
  static EnvSpec spec_of(const CountingParams& params) {
    EnvSpec spec;
    spec.id = "Counting";
    spec.observation_space = Space::box(4, -1e9f, 1e9f);
    spec.action_space = Space::discrete(5);
    spec.num_agents = params.num_agents;
    spec.max_episode_steps = params.max_episode_steps;
    spec.has_action_mask = true;
    spec.kpi_names = {"steps", "episode"};
    return spec;
  }
  CountingParams params_;
};

class CountingEnv : public Env {
 public:
  explicit CountingEnv(const CountingModel& model) : params_(model.params()) {}

  void reset_episode(const EnvOutput& out) override {
    ++episode_;
    step_ = 0;
    write(out, -1);
  }

  StepStatus step(const ActionRef& action, const EnvOutput& out) override {
    ++step_;
    if (step_ == params_.throw_at_step) throw std::runtime_error("counting env failed on purpose");
    for (int agent = 0; agent < params_.num_agents; ++agent)
      out.reward[agent] = static_cast<float>(action.discrete[agent] + agent);
    write(out, action.discrete[0]);
    return {.terminated = params_.terminate_after > 0 && step_ >= params_.terminate_after};
  }

  void episode_kpis(std::span<float> out) const override {
    out[0] = static_cast<float>(step_);
    out[1] = static_cast<float>(episode_);
  }

 protected:
  void archive_state(StateArchive& state) override { state(episode_, step_); }

 private:
  void write(const EnvOutput& out, int64_t last_action) const {
    for (int agent = 0; agent < params_.num_agents; ++agent) {
      float* observation = out.observation + agent * 4;
      observation[0] = static_cast<float>(episode_);
      observation[1] = static_cast<float>(step_);
      observation[2] = static_cast<float>(agent);
      observation[3] = static_cast<float>(last_action);
      // Action a is valid on even steps only when a is even: masks change over time.
      for (int a = 0; a < 5; ++a) out.action_mask[agent * 5 + a] = step_ % 2 == 1 || a % 2 == 0;
    }
  }

  CountingParams params_;
  int episode_ = 0;
  int step_ = 0;
};

inline std::unique_ptr<Env> CountingModel::create_env() const {
  return std::make_unique<CountingEnv>(*this);
}

}  // namespace twinrl::testing

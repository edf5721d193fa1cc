#pragma once
// The smallest complete twinrl environment: a room that a heater warms
// towards a set point while heat leaks outside. envs/README.md walks through
// it; tests/minimal_env_test.cc registers it and runs it through the
// framework (parameters by name, randomization, checkpoints, training).
#include <cmath>
#include <memory>

#include "core/env.h"

namespace twinrl::examples {

// 1. The parameters: one struct whose `visit` declares every field once. The
//    same declaration reads YAML (with located errors), writes the resolved
//    config, documents the env (`twinrl envs`), names every number
//    ("outside_c") and lets the framework randomize the real-valued ones.
struct RoomParams {
  double set_point_c = 21;
  double outside_c = 5;
  double loss_per_step = 0.05;
  double heater_gain_c = 3;
  int max_episode_steps = 200;

  template <class Visitor>
  void visit(Visitor& v) {
    v("set_point_c", set_point_c, {.doc = "target temperature (C)", .min = -50.0, .max = 50.0});
    v("outside_c", outside_c, {.doc = "outside temperature (C)", .min = -50.0, .max = 50.0});
    v("loss_per_step", loss_per_step,
      {.doc = "fraction of the inside-outside difference lost per step", .min = 0.0, .max = 1.0});
    v("heater_gain_c", heater_gain_c,
      {.doc = "degrees a step at full power adds", .min = 0.0, .max = 10.0});
    v("max_episode_steps", max_episode_steps,
      {.doc = "episodes are truncated after this many steps", .min = 1});
  }
};

// 2. The model: what every copy shares, built once from the parameters. It
//    holds them as params() (the registry builds its table of parameters by
//    name from there).
class RoomModel : public EnvModel {
 public:
  explicit RoomModel(const RoomParams& params) : EnvModel(spec_of(params)), params_(params) {}
  const RoomParams& params() const { return params_; }

 protected:
  std::unique_ptr<Env> create_env() const override;

 private:
  static EnvSpec spec_of(const RoomParams& params) {
    EnvSpec spec;
    spec.id = "Room";
    spec.observation_space = Space::box({-100, -100}, {100, 100});  // temperature, error
    spec.action_space = Space::discrete(3);                         // heater off, half, full
    spec.control_period_s = 60;
    spec.max_episode_steps = params.max_episode_steps;
    spec.kpi_names = {"final_error_c"};
    return spec;
  }

  RoomParams params_;
};

// 3. The env: its mutable state only. It steps with its own copy of the
//    parameters, params_, which the framework redraws per episode when the
//    config randomizes some (env.randomize) and saves in checkpoints.
class RoomEnv : public EnvWithParams<RoomParams> {
 public:
  explicit RoomEnv(const RoomModel& model) : EnvWithParams(model.params()) {}

  StepStatus step(const ActionRef& action, const EnvOutput& out) override {
    const double power = 0.5 * static_cast<double>(action.discrete[0]);
    temperature_c_ += power * params_.heater_gain_c -
                      params_.loss_per_step * (temperature_c_ - params_.outside_c);
    observe(out);
    out.reward[0] = static_cast<float>(-std::abs(temperature_c_ - params_.set_point_c));
    return {};  // the runner truncates at max_episode_steps
  }
  void episode_kpis(std::span<float> out) const override {
    out[0] = static_cast<float>(std::abs(temperature_c_ - params_.set_point_c));
  }

 protected:
  void reset_episode(const EnvOutput& out) override {
    temperature_c_ = params_.outside_c + rng_.uniform(0, 5);
    observe(out);
  }
  // 4. The state, declared once for saving and loading.
  void archive_state(StateArchive& state) override { state(temperature_c_); }

 private:
  void observe(const EnvOutput& out) const {
    out.observation[0] = static_cast<float>(temperature_c_);
    out.observation[1] = static_cast<float>(temperature_c_ - params_.set_point_c);
  }

  double temperature_c_ = 0;
};

inline std::unique_ptr<Env> RoomModel::create_env() const {
  return std::make_unique<RoomEnv>(*this);
}

// 5. One line registers it (envs/builtin_envs.cc for a built-in env):
//      registry.add(make_env_entry<RoomParams, RoomModel>("Room", "Heat a room to a set point"));

}  // namespace twinrl::examples

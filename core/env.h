#pragma once
// The environment interface. An env owns only its mutable state and its random
// generator; everything shared lives in its EnvModel. reset and step write
// straight into the env's slice of the runner's batch buffers.
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/baseline_policy.h"
#include "core/env_spec.h"
#include "core/parameters.h"
#include "core/randomization.h"
#include "core/rng.h"
#include "core/state_archive.h"

namespace twinrl {

// The env's actions: num_agents rows of action_space.size() numbers. Exactly
// one pointer is set: `continuous` for Box spaces, `discrete` otherwise.
struct ActionRef {
  const float* continuous = nullptr;
  const int64_t* discrete = nullptr;

  // The actions from row `first_row` on, for rows of `row_size` numbers.
  ActionRef from_row(int64_t first_row, int64_t row_size) const {
    const int64_t shift = first_row * row_size;
    return {continuous ? continuous + shift : nullptr, discrete ? discrete + shift : nullptr};
  }
};

// Where an env writes: num_agents rows each.
struct EnvOutput {
  float* observation;  // [num_agents, observation size]
  float* reward;       // [num_agents]
  bool* action_mask;   // [num_agents, mask size]; null unless the spec has a mask
};

struct StepStatus {
  bool terminated = false;  // a terminal state: no bootstrapping past it
  bool truncated = false;   // cut short (e.g. unstable physics): bootstrap from it
};

class Env {
 public:
  virtual ~Env() = default;

  void seed(uint64_t seed) { rng_.reseed(seed); }

  // Starts an episode: draws the parameters the model randomizes, then
  // writes the first observation (and action mask).
  void reset(const EnvOutput& out);
  // Advances one control period: writes observation, rewards (and mask).
  virtual StepStatus step(const ActionRef& action, const EnvOutput& out) = 0;
  // The ending episode's KPIs in spec().kpi_names order; called before reset,
  // and by rollout recording after every step (the KPIs so far).
  virtual void episode_kpis(std::span<float> out) const { (void)out; }

  // What a viewer draws, for rollout recording (never on the training path).
  // The scene is what stays fixed through an episode (a map, a network,
  // terrain), written after reset; the state is what moves (positions,
  // headings, loads, stock levels, body poses), written after reset and after
  // every step. JSON objects in the env's own units, documented in the env's
  // README, so that recordings read without twinrl. Envs that draw nothing
  // leave both empty.
  virtual void render_scene(nlohmann::json& scene) const { (void)scene; }
  virtual void render_state(nlohmann::json& state) const { (void)state; }

  // This env's own parameter values, indexed as its model's parameters():
  // what it steps with. They start as the model's; randomization redraws the
  // randomized ones at every reset; set_parameter changes one (what-if,
  // calibration) until randomization next draws it. Envs read them at reset
  // and step, so a change takes effect at the next reset at the latest.
  size_t num_parameters() const { return parameters_.size(); }
  double parameter(size_t index) const { return parameters_.at(index).get(); }
  // Real-valued parameters only (integers shape an env's buffers: change them
  // with EnvModel::with_parameters); the value must pass
  // EnvModel::parameters().check.
  void set_parameter(size_t index, double value);

  // The whole mutable state, random generator and parameters included, for checkpoints.
  void save(StateWriter& out) const;
  void load(StateReader& in);

 protected:
  // Starts an episode with the parameters already drawn.
  virtual void reset_episode(const EnvOutput& out) = 0;
  // The env's own state besides the random generator and the parameters:
  // what reset and step change, declared once for saving and loading.
  virtual void archive_state(StateArchive& state) = 0;

  // Called by the constructor of an env with parameters (EnvWithParams).
  void bind_parameters(std::vector<NumberRef> parameters) { parameters_ = std::move(parameters); }

  Rng rng_;

 private:
  friend class EnvModel;
  std::vector<NumberRef> parameters_;
  const Randomization* randomization_ = nullptr;
};

// An env whose parameters are the struct Params (with a schema `visit`): it
// steps with its own copy, params(), so that parameters can differ per copy
// and per episode with no code in the env.
template <ConfigStruct Params>
class EnvWithParams : public Env {
 public:
  // This env's parameters: the model's, with this episode's draws.
  const Params& params() const { return params_; }

 protected:
  explicit EnvWithParams(const Params& params) : params_(params) {
    bind_parameters(number_refs(params_));
  }
  EnvWithParams(const EnvWithParams&) = delete;
  EnvWithParams& operator=(const EnvWithParams&) = delete;

  Params params_;
};

// A real-valued parameter held at `value` for part of every episode: during
// the steps from `from_step` (0: the first) up to, not including, `to_step`.
struct ParameterWindow {
  size_t parameter = 0;  // index in the model's parameters()
  double value = 0;
  int64_t from_step = 0, to_step = 0;
};

// The immutable part of an environment, shared read-only by all its copies.
class EnvModel {
 public:
  explicit EnvModel(EnvSpec spec) : spec_(std::move(spec)) {}
  virtual ~EnvModel() = default;

  const EnvSpec& spec() const { return spec_; }
  // A new copy of the env, with the model's parameters and randomization.
  std::unique_ptr<Env> make_env() const;

  // Every number among the model's parameters by dotted name, with its
  // bounds and value (empty for a model constructed directly, not by
  // make_model or the registry).
  const ParameterTable& parameters() const { return parameters_; }
  // What the envs draw per episode (empty: nothing).
  const Randomization& randomization() const { return randomization_; }
  // The same env with `overrides` of any parameters (integers too, which may
  // change the spec), its randomization kept except for the overridden
  // parameters (they keep their given values). Throws ParameterError for an
  // unknown name or a bad value, ConfigError when the result fails the env's
  // own checks.
  // With `windows`, its envs (as the runner steps them: EnvGroup) also hold
  // real-valued parameters at other values for part of every episode.
  std::shared_ptr<const EnvModel> with_parameters(
      const std::vector<ParameterValue>& overrides,
      const std::vector<ParameterWindow>& windows = {}) const;
  // The windows of the model (empty unless with_parameters set them).
  const std::vector<ParameterWindow>& windows() const { return windows_; }

  // The operations heuristics this env offers, its default first.
  virtual std::vector<std::string> baseline_names() const { return {}; }
  // Baseline `name` (one of baseline_names()). One with parameters (a
  // base-stock level) tunes them first by simulation, seeded with `seed`.
  virtual std::unique_ptr<BaselinePolicy> make_baseline(const std::string& name,
                                                        uint64_t seed) const {
    (void)seed;
    throw std::invalid_argument("env " + spec_.id + " has no baseline policy '" + name + "'");
  }

  using Rebuild = std::function<std::shared_ptr<EnvModel>(const std::vector<ParameterValue>&)>;
  // Called once by whoever builds the model (the registry), before it is
  // shared: the table over the model's parameters, the randomization of its
  // envs, and how to build it again with parameters overridden.
  void bind(ParameterTable parameters, Randomization randomization, Rebuild rebuild);

 protected:
  virtual std::unique_ptr<Env> create_env() const = 0;

 private:
  EnvSpec spec_;
  ParameterTable parameters_;
  Randomization randomization_;
  Rebuild rebuild_;
  std::vector<ParameterWindow> windows_;
};

}  // namespace twinrl

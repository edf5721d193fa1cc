#pragma once
// The environment interface. An env owns only its mutable state and its random
// generator; everything shared lives in its EnvModel. reset and step write
// straight into the env's slice of the runner's batch buffers.
#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/baseline_policy.h"
#include "core/env_spec.h"
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

  // Starts an episode: writes the first observation (and action mask).
  virtual void reset(const EnvOutput& out) = 0;
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

  // The whole mutable state, random generator included, for checkpoints.
  void save(StateWriter& out) const {
    out.write(rng_.state());
    save_state(out);
  }
  void load(StateReader& in) {
    rng_.set_state(in.read<Rng::State>());
    load_state(in);
  }

 protected:
  // The env's own state besides rng_: what reset and step change.
  virtual void save_state(StateWriter& out) const = 0;
  virtual void load_state(StateReader& in) = 0;

  Rng rng_;
};

// The immutable part of an environment, shared read-only by all its copies.
class EnvModel {
 public:
  explicit EnvModel(EnvSpec spec) : spec_(std::move(spec)) {}
  virtual ~EnvModel() = default;

  const EnvSpec& spec() const { return spec_; }
  virtual std::unique_ptr<Env> make_env() const = 0;

  // The operations heuristics this env offers, its default first.
  virtual std::vector<std::string> baseline_names() const { return {}; }
  // Baseline `name` (one of baseline_names()). One with parameters (a
  // base-stock level) tunes them first by simulation, seeded with `seed`.
  virtual std::unique_ptr<BaselinePolicy> make_baseline(const std::string& name,
                                                        uint64_t seed) const {
    (void)seed;
    throw std::invalid_argument("env " + spec_.id + " has no baseline policy '" + name + "'");
  }

 private:
  EnvSpec spec_;
};

}  // namespace twinrl

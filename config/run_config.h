#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/config_node.h"
#include "config/schema.h"

namespace twinrl {

// Which environment to train on and how its copies are stepped.
struct EnvConfig {
  std::string id = "CartPole";
  int num_envs = 8;
  int threads = 1;
  ConfigNode params;
  ConfigNode randomize;

  template <class Visitor>
  void visit(Visitor& v) {
    v("id", id, {.doc = "environment id; `twinrl envs` lists them"});
    v("num_envs", num_envs,
      {.doc = "environment copies stepped in parallel", .min = 1, .max = 65536});
    v("threads", threads, {.doc = "worker threads stepping the envs", .min = 1, .max = 256});
    v("params", params, {.doc = "environment-specific parameters, checked by the environment"});
    v("randomize", randomize,
      {.doc = "domain randomization: {parameter: [low, high]} draws each named real-valued "
              "parameter (by dotted name, e.g. demand.mean or stages.holding_cost[0]) uniformly "
              "at every reset"});
  }
};

// One experiment, as described by one YAML file.
struct RunConfig {
  std::string name;
  std::uint64_t seed = 1;
  EnvConfig env;
  ConfigNode agent;   // the learning algorithm's section, read by agents/
  ConfigNode twin;    // a digital twin's spec, read by twins/ (absent: no twin)
  ConfigNode source;  // the whole loaded tree, to locate errors found later (not a key)

  template <class Visitor>
  void visit(Visitor& v) {
    v("name", name,
      {.doc = "run directory name under runs/; empty: the config file's name without extension"});
    v("seed", seed, {.doc = "base random seed; env i is seeded from (seed, i)"});
    v("env", env);
    v("agent", agent, {.doc = "algorithm, budget and settings; see the agent reference"});
    v("twin", twin,
      {.doc = "digital twin: the facility's logs, what is calibrated from them and what is "
              "randomized from the fit (twins/README.md); training ignores it"});
  }
  void validate(const ConfigNode& node) const;
};

// Loads and validates an experiment config, applying --set overrides ("env.num_envs=16").
// An empty name becomes the file's stem: configs/cartpole.yaml runs as "cartpole".
RunConfig load_run_config(const std::string& path, const std::vector<std::string>& overrides = {});

}  // namespace twinrl

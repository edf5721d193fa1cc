#pragma once
// What-if: named scenarios of parameter overrides, every policy run on every
// scenario on common random numbers (the same seeded episodes), and each
// KPI's mean with the paired confidence interval of its difference to the
// first policy. `twinrl twin whatif`; any config, twin or not.
//
// A scenarios file (twins/README.md, "What-if"):
//   scenarios:
//     as planned: {}
//     demand surge: {demand.mean: x1.5}             # x: times the config's value
//     slow supplier: {stages.lead_time[1]: +3}       # + or -: added to it
//     cheap holding: {stages.holding_cost[0]: 0.01}  # a number: the value
//     demand spike:                                  # for part of every episode
//       windows: [{from: 10, to: 20, changes: {demand.mean: x2}}]
// Without a scenarios file it compares the policies on the config as it is
// (`twinrl compare`).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config_node.h"
#include "core/env.h"
#include "core/parameters.h"

namespace twinrl {

struct Scenario {
  std::string name;
  std::vector<ParameterValue> overrides;
  ConfigNode node;  // where it is written, for errors found when it is built
  // Real-valued parameters changed for part of every episode, and where each is written.
  std::vector<ParameterWindow> windows = {};
  std::vector<ConfigNode> window_nodes = {};
};

// Reads the scenarios file against `parameters` (the config's values are
// what relative changes apply to); a ConfigError for an unknown parameter
// (with the closest name), a malformed change, a value out of range, or a
// window that changes an integer parameter, ends before it starts or
// overlaps another window on the same parameter.
std::vector<Scenario> read_scenarios(const ConfigNode& file, const ParameterTable& parameters);

struct WhatIfOptions {
  std::string config;
  std::string scenarios;  // empty: one scenario, the config as it is
  // Baselines of the env, random, or run directories (their best checkpoint);
  // empty: the env's baselines.
  std::vector<std::string> policies = {};
  int episodes = 100;
  std::optional<uint64_t> seed = std::nullopt;  // default: the config's
  // Report (.html, .json beside); default: beside the scenarios file, or
  // <config name>.compare.html in the working directory without one.
  std::string out = "";
  std::vector<std::string> overrides = {};
};

// Runs every policy on every scenario, prints the table of returns and writes
// the report (every KPI, charts).
void twin_whatif(const WhatIfOptions& options);

}  // namespace twinrl

#pragma once
// The `twin:` section of a config, its parts common to every twin: which
// policy ran while the logs were written, what is randomized from the fit,
// how many replays measure fidelity. Where the logs are and what is
// calibrated from them depends on the env (supply_chain_twin.h reads those
// sections); validation is as strict as the rest of a config.
#include <cstdint>
#include <string>
#include <vector>

#include "config/config_node.h"
#include "config/run_config.h"
#include "config/schema.h"
#include "core/env.h"

namespace twinrl {

struct TwinSpec {
  std::string logged_policy = "";
  std::vector<std::string> randomize_from_fit = {};
  int replications = 20;
  ConfigNode logs;
  ConfigNode calibrate;

  template <class Visitor>
  void visit(Visitor& v) {
    v("logged_policy", logged_policy,
      {.doc = "the env baseline that ran the facility while the logs were written, with the "
              "levels of env.params.baselines (replayed through the twin for fidelity; default: "
              "the env's first baseline, base_stock for supply chains); arm twins replay the "
              "logged actions instead"});
    v("randomize_from_fit", randomize_from_fit,
      {.doc = "real-valued parameters the calibrated twin draws per episode from their 95% "
              "confidence interval (written to env.randomize)"});
    v("replications", replications,
      {.doc = "replays of the logged period through the twin per fidelity check",
       .min = 1,
       .max = 10000});
    v("logs", logs, {.doc = "the log files and their columns (twins/README.md, per env)"});
    v("calibrate", calibrate, {.doc = "what is calibrated from the logs (per env)"});
  }
};

// Reads `config.twin`; a ConfigError (file:line:col, key, closest match) for
// a missing section, an unknown key, a policy the env lacks or a name in
// randomize_from_fit that is not a real-valued parameter of `model`.
TwinSpec read_twin_spec(const RunConfig& config, const EnvModel& model);

}  // namespace twinrl

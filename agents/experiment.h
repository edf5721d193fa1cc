#pragma once
// An experiment loaded from YAML: the run and env settings (core), the agent
// settings, the environment model, and the fully resolved config.
#include <yaml-cpp/yaml.h>

#include <memory>
#include <string>
#include <vector>

#include "agents/agent_config.h"
#include "config/run_config.h"
#include "core/env_registry.h"

namespace twinrl {

struct Experiment {
  RunConfig run;
  AgentConfig agent;
  std::shared_ptr<const EnvModel> env_model;
  YAML::Node resolved;  // every key with its value, defaults included
};

// The Markdown reference of every key of an experiment config, env parameters included.
std::string configuration_reference(const EnvRegistry& registry);

// Loads and validates every section, environment parameters included. Errors
// are ConfigErrors naming the file, line, column and key.
Experiment load_experiment(const std::string& path, const std::vector<std::string>& overrides,
                           const EnvRegistry& registry);

}  // namespace twinrl

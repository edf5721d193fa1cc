#pragma once
// Environments by id: each entry builds its immutable EnvModel from YAML
// parameters and describes those parameters for `twinrl envs` and the docs.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/config_node.h"
#include "core/env.h"
#include "core/schema.h"

namespace twinrl {

struct EnvEntry {
  std::string id;
  std::string description;
  std::vector<FieldInfo> parameters;
  // Reads the parameters (throwing ConfigError at the offending key) and builds the model.
  std::function<std::shared_ptr<const EnvModel>(const ConfigNode& params)> build;
  // The parameters with every default filled in, for a run's resolved config.
  std::function<YAML::Node(const ConfigNode& params)> resolve;
};

// The entry of an env whose parameters are the struct Params (with a visit
// member) and whose model is constructed from them.
template <class Params, class Model>
EnvEntry make_env_entry(std::string id, std::string description) {
  return {std::move(id), std::move(description), describe_fields<Params>(),
          [](const ConfigNode& node) -> std::shared_ptr<const EnvModel> {
            Params params;
            read_fields(node, params);
            return std::make_shared<const Model>(params);
          },
          [](const ConfigNode& node) {
            Params params;
            read_fields(node, params);
            return write_fields(params);
          }};
}

// A Markdown section on the env: spaces, agents, timing, KPIs and parameters.
std::string describe_env(const EnvEntry& entry);

class EnvRegistry {
 public:
  // Throws std::invalid_argument if the id is taken.
  void add(EnvEntry entry);
  // Null when there is no such id.
  const EnvEntry* find(const std::string& id) const;
  const std::vector<EnvEntry>& entries() const { return entries_; }

  // Builds env `id` from `params`. An unknown id is a ConfigError located at
  // `id_node` that suggests the closest known id.
  std::shared_ptr<const EnvModel> build(const std::string& id, const ConfigNode& id_node,
                                        const ConfigNode& params) const;
  // The entry of `id`, or a ConfigError at `id_node` as for build().
  const EnvEntry& entry(const std::string& id, const ConfigNode& id_node) const;

 private:
  std::vector<EnvEntry> entries_;
};

}  // namespace twinrl

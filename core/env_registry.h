#pragma once
// Environments by id: each entry builds its immutable EnvModel from YAML
// parameters and describes those parameters for `twinrl envs` and the docs.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config_node.h"
#include "config/schema.h"
#include "core/env.h"
#include "core/parameters.h"
#include "core/randomization.h"

namespace twinrl {

struct EnvEntry {
  std::string id;
  std::string description;
  std::vector<FieldInfo> parameters;
  using Builder = std::function<std::shared_ptr<const EnvModel>(
      const ConfigNode& params, const ConfigNode& randomize,
      const std::vector<ParameterValue>& overrides)>;
  Builder builder;
  // The parameters with every default filled in, for a run's resolved config.
  std::function<YAML::Node(const ConfigNode& params)> resolve;

  // Reads the parameters (throwing ConfigError at the offending key), applies
  // `overrides` by name (ParameterError) and builds the model, whose envs draw
  // what `randomize` names per episode (Randomization::parse).
  std::shared_ptr<const EnvModel> build(const ConfigNode& params, const ConfigNode& randomize = {},
                                        const std::vector<ParameterValue>& overrides = {}) const {
    return builder(params, randomize, overrides);
  }
};

namespace registry_detail {

// Sets `overrides` by name, then runs the env's own cross-field checks again.
template <class Params>
void override_parameters(Params& params, const std::vector<ParameterValue>& overrides,
                         const ConfigNode& node) {
  if (overrides.empty()) return;
  set_parameters(params, overrides);
  if constexpr (requires { params.validate(node); }) params.validate(node);
}

}  // namespace registry_detail

namespace registry_detail {

// make_model's model, still open to its builder (EnvModel::with_parameters
// sets its windows before sharing it).
template <class Params, class Model>
std::shared_ptr<Model> build_model(const Params& params, const ConfigNode& randomize,
                                   const std::vector<ParameterValue>& fixed) {
  auto model = std::make_shared<Model>(params);
  ParameterTable table(model->params());
  Randomization randomization = Randomization::parse(randomize, table).with_fixed(fixed, table);
  model->bind(
      std::move(table), std::move(randomization),
      [params, randomize, fixed](const std::vector<ParameterValue>& overrides) {
        Params changed = params;
        // No config file to point at: errors name the keys only.
        override_parameters(changed, overrides, ConfigNode());
        std::vector<ParameterValue> all_fixed = fixed;
        all_fixed.insert(all_fixed.end(), overrides.begin(), overrides.end());
        return std::shared_ptr<EnvModel>(build_model<Params, Model>(changed, randomize, all_fixed));
      });
  return model;
}

}  // namespace registry_detail

// The model of `params`, as the registry builds it: with its table of
// parameters by name and the per-episode draws `randomize` names. For models
// made in code (tests, tools); Model holds its Params as params().
// Parameters in `fixed` were given values by name: `randomize` holds them there.
template <class Params, class Model>
std::shared_ptr<const Model> make_model(const Params& params, const ConfigNode& randomize = {},
                                        const std::vector<ParameterValue>& fixed = {}) {
  return registry_detail::build_model<Params, Model>(params, randomize, fixed);
}

// The entry of an env whose parameters are the struct Params (with a visit
// member) and whose model is constructed from them and holds them as params().
template <class Params, class Model>
EnvEntry make_env_entry(std::string id, std::string description) {
  return {std::move(id), std::move(description), describe_fields<Params>(),
          [](const ConfigNode& node, const ConfigNode& randomize,
             const std::vector<ParameterValue>& overrides) -> std::shared_ptr<const EnvModel> {
            Params params;
            read_fields(node, params);
            registry_detail::override_parameters(params, overrides, node);
            return make_model<Params, Model>(params, randomize, overrides);
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

  // Builds env `id` from `params`, randomized per episode as `randomize`
  // says. An unknown id is a ConfigError located at `id_node` that suggests
  // the closest known id.
  std::shared_ptr<const EnvModel> build(const std::string& id, const ConfigNode& id_node,
                                        const ConfigNode& params,
                                        const ConfigNode& randomize = {}) const;
  // The entry of `id`, or a ConfigError at `id_node` as for build().
  const EnvEntry& entry(const std::string& id, const ConfigNode& id_node) const;

 private:
  std::vector<EnvEntry> entries_;
};

}  // namespace twinrl

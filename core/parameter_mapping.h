#pragma once
// YAML mappings keyed by parameter names: `env.randomize` ranges, a twin's
// hidden truth and what-if overrides. Keys are dotted names ("demand.mean:
// 23") or nested mappings ("demand: {mean: 23}", what `--set a.b.c=v` makes);
// every error is located at the key or value and suggests the closest name.
#include <functional>
#include <string>
#include <vector>

#include "config/config_node.h"
#include "core/parameters.h"

namespace twinrl {

// Calls on_entry(index, value_node) for every parameter named in `node`, in
// file order, passing over the top-level keys in `reserved` (the caller's
// own). `real_only` admits only real-valued parameters (what varies per
// episode). A parameter named twice, an unknown name or a node that is not a
// mapping is a ConfigError.
void for_each_parameter_entry(const ConfigNode& node, const ParameterTable& parameters,
                              bool real_only,
                              const std::function<void(size_t, const ConfigNode&)>& on_entry,
                              const std::vector<std::string>& reserved = {});

// Reads `{name: value, ...}`: each value a number the parameter can take.
std::vector<ParameterValue> parse_parameter_values(const ConfigNode& node,
                                                   const ParameterTable& parameters);

}  // namespace twinrl

#include "core/parameter_mapping.h"

#include <algorithm>

#include "config/closest_match.h"
#include "config/schema.h"

namespace twinrl {
namespace {

struct EntryWalk {
  const ParameterTable& parameters;
  bool real_only;
  std::vector<std::string> candidates = {};
  std::vector<size_t> seen = {};
  const std::function<void(size_t, const ConfigNode&)>& on_entry;
  const std::vector<std::string>& reserved;

  void walk(const ConfigNode& node, const std::string& prefix) {
    if (!node.yaml().IsMap())
      node.fail("expected a mapping of parameter names, got " + node.describe());
    for (const std::string& key : node.keys()) {
      if (prefix.empty() && std::ranges::find(reserved, key) != reserved.end()) continue;
      const std::string name = prefix + key;
      const ConfigNode value = node.child(key);
      const std::optional<size_t> index = parameters.find(name);
      if (!index && value.yaml().IsMap()) {
        walk(value, name + ".");
        continue;
      }
      if (!index || (real_only && !parameters.info(*index).real)) {
        std::string message = !index ? "unknown parameter '" + name + "'"
                                     : "'" + name +
                                           "' is an integer; only real-valued (double, float) "
                                           "parameters vary";
        if (const auto suggestion = closest_match(name, candidates))
          message += "; did you mean '" + *suggestion + "'?";
        node.fail_at_key(key, message);
      }
      if (std::ranges::find(seen, *index) != seen.end())
        node.fail_at_key(key, "'" + name + "' is named twice");
      seen.push_back(*index);
      on_entry(*index, value);
    }
  }
};

}  // namespace

void for_each_parameter_entry(const ConfigNode& node, const ParameterTable& parameters,
                              bool real_only,
                              const std::function<void(size_t, const ConfigNode&)>& on_entry,
                              const std::vector<std::string>& reserved) {
  EntryWalk walk{
      .parameters = parameters, .real_only = real_only, .on_entry = on_entry, .reserved = reserved};
  for (const ParameterInfo& info : parameters.infos())
    if (info.real || !real_only) walk.candidates.push_back(info.name);
  walk.walk(node, "");
}

std::vector<ParameterValue> parse_parameter_values(const ConfigNode& node,
                                                   const ParameterTable& parameters) {
  std::vector<ParameterValue> values;
  if (!node.defined()) return values;
  for_each_parameter_entry(node, parameters, false, [&](size_t index, const ConfigNode& value) {
    const ParameterInfo& info = parameters.info(index);
    ParameterValue parsed{.name = info.name};
    schema_detail::read_value(value, parsed.value, {.min = info.min, .max = info.max});
    try {
      parameters.check(index, parsed.value);
    } catch (const ParameterError& error) {
      value.fail(error.what());
    }
    values.push_back(parsed);
  });
  return values;
}

}  // namespace twinrl

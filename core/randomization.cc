#include "core/randomization.h"

#include <algorithm>

#include "config/closest_match.h"
#include "config/schema.h"

namespace twinrl {

namespace {

// Reads the ranges under `node`, whose keys are parameter names after
// `prefix`: "demand.mean: [a, b]" and "demand: {mean: [a, b]}" alike (the
// second is what `--set env.randomize.demand.mean=[a,b]` makes).
void parse_ranges(const ConfigNode& node, const std::string& prefix,
                  const ParameterTable& parameters, const std::vector<std::string>& real_names,
                  std::vector<Randomization::Range>& ranges) {
  if (!node.yaml().IsMap())
    node.fail("expected a mapping of parameter: [low, high], got " + node.describe());
  for (const std::string& key : node.keys()) {
    const std::string name = prefix + key;
    const ConfigNode range = node.child(key);
    const std::optional<size_t> index = parameters.find(name);
    if (!index && range.yaml().IsMap()) {
      parse_ranges(range, name + ".", parameters, real_names, ranges);
      continue;
    }
    if (!index || !parameters.info(*index).real) {
      std::string message = !index ? "unknown parameter '" + name + "'"
                                   : "'" + name +
                                         "' is an integer; only real-valued (double, float) "
                                         "parameters vary";
      if (const auto suggestion = closest_match(name, real_names))
        message += "; did you mean '" + *suggestion + "'?";
      node.fail_at_key(key, message);
    }
    const ParameterInfo& info = parameters.info(*index);
    if (std::ranges::find(ranges, *index, &Randomization::Range::index) != ranges.end())
      node.fail_at_key(key, "'" + name + "' is randomized twice");
    if (!range.yaml().IsSequence() || range.yaml().size() != 2)
      range.fail("expected [low, high], got " + range.describe());
    const FieldSpec bounds{.min = info.min, .max = info.max};
    Randomization::Range parsed{.index = *index};
    schema_detail::read_value(range.element(0), parsed.low, bounds);
    schema_detail::read_value(range.element(1), parsed.high, bounds);
    if (parsed.low > parsed.high) range.fail("low is above high");
    ranges.push_back(parsed);
  }
}

}  // namespace

Randomization Randomization::parse(const ConfigNode& node, const ParameterTable& parameters) {
  Randomization randomization;
  if (!node.defined()) return randomization;
  std::vector<std::string> real_names;
  for (const ParameterInfo& info : parameters.infos())
    if (info.real) real_names.push_back(info.name);
  parse_ranges(node, "", parameters, real_names, randomization.ranges_);
  std::ranges::sort(randomization.ranges_, {}, &Range::index);
  return randomization;
}

}  // namespace twinrl

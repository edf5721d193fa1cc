#include "core/randomization.h"

#include <algorithm>

#include "core/closest_match.h"

namespace twinrl {
namespace {

bool is_real(const FieldInfo& field) {
  return field.type == "double" || field.type == "float";
}

std::vector<std::string> split_path(const std::string& key) {
  std::vector<std::string> path(1);
  for (char c : key) {
    if (c == '.')
      path.emplace_back();
    else
      path.back().push_back(c);
  }
  return path;
}

}  // namespace

Randomization Randomization::parse(const ConfigNode& node, const std::vector<FieldInfo>& fields) {
  Randomization randomization;
  if (!node.defined()) return randomization;
  if (!node.yaml().IsMap())
    node.fail("expected a mapping of parameter: [low, high], got " + node.describe());
  std::vector<std::string> real_keys;
  for (const FieldInfo& field : fields)
    if (is_real(field)) real_keys.push_back(field.key);

  for (const std::string& key : node.keys()) {
    const auto field = std::find_if(fields.begin(), fields.end(),
                                    [&](const FieldInfo& info) { return info.key == key; });
    if (field == fields.end() || !is_real(*field)) {
      std::string message = field == fields.end()
                                ? "unknown parameter '" + key + "'"
                                : "'" + key + "' is a " + field->type +
                                      "; only real-valued (double, float) parameters vary";
      if (const auto suggestion = closest_match(key, real_keys))
        message += "; did you mean '" + *suggestion + "'?";
      node.fail_at_key(key, message);
    }
    const ConfigNode range = node.child(key);
    if (!range.yaml().IsSequence() || range.yaml().size() != 2)
      range.fail("expected [low, high], got " + range.describe());
    const FieldSpec bounds{.min = field->min, .max = field->max};
    Range parsed{.path = split_path(key)};
    schema_detail::read_value(range.element(0), parsed.low, bounds);
    schema_detail::read_value(range.element(1), parsed.high, bounds);
    if (parsed.low > parsed.high) range.fail("low is above high");
    randomization.ranges_.push_back(std::move(parsed));
  }
  if (randomization.ranges_.size() > kMaxRanges)
    node.fail("at most " + std::to_string(kMaxRanges) + " parameters can be randomized");
  return randomization;
}

}  // namespace twinrl

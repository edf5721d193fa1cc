#include "twins/calibrated_value.h"

#include <algorithm>

namespace twinrl {

YAML::Node randomize_from_fit(const std::vector<CalibratedValue>& values, const TwinSpec& spec,
                              const ParameterTable& parameters, bool undetermined_over_bounds,
                              std::vector<std::string>& notes) {
  YAML::Node randomize(YAML::NodeType::Map);
  for (const std::string& name : spec.randomize_from_fit) {
    const auto value = std::ranges::find(values, name, &CalibratedValue::parameter);
    if (value == values.end() || (!value->estimate.identified && !undetermined_over_bounds)) {
      notes.push_back(name + " is not randomized: " +
                      (value == values.end() ? "the fit did not calibrate it"
                                             : "the logs do not determine it"));
      continue;
    }
    if (!value->estimate.identified)
      notes.push_back(name + " is drawn over [" + format_parameter_value(value->estimate.low) +
                      ", " + format_parameter_value(value->estimate.high) +
                      "], the range the logs leave it in: they do not determine it");
    const ParameterInfo& info = parameters.info(parameters.index_of(name));
    double low = value->estimate.low, high = value->estimate.high;
    if (info.min) low = std::max(low, *info.min);
    if (info.max) high = std::min(high, *info.max);
    YAML::Node range(YAML::NodeType::Sequence);
    range.SetStyle(YAML::EmitterStyle::Flow);
    range.push_back(low);
    range.push_back(high);
    randomize[name] = range;
  }
  return randomize;
}

}  // namespace twinrl

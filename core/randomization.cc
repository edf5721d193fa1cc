#include "core/randomization.h"

#include <algorithm>

#include "config/schema.h"
#include "core/parameter_mapping.h"

namespace twinrl {

Randomization Randomization::parse(const ConfigNode& node, const ParameterTable& parameters) {
  Randomization randomization;
  if (!node.defined()) return randomization;
  for_each_parameter_entry(node, parameters, true, [&](size_t index, const ConfigNode& range) {
    const ParameterInfo& info = parameters.info(index);
    if (!range.yaml().IsSequence() || range.yaml().size() != 2)
      range.fail("expected [low, high], got " + range.describe());
    const FieldSpec bounds{.min = info.min, .max = info.max};
    Range parsed{.index = index};
    schema_detail::read_value(range.element(0), parsed.low, bounds);
    schema_detail::read_value(range.element(1), parsed.high, bounds);
    if (parsed.low > parsed.high) range.fail("low is above high");
    randomization.ranges_.push_back(parsed);
  });
  std::ranges::sort(randomization.ranges_, {}, &Range::index);
  return randomization;
}

Randomization Randomization::with_fixed(const std::vector<ParameterValue>& fixed,
                                        const ParameterTable& parameters) const {
  Randomization held = *this;
  for (Range& range : held.ranges_)
    for (const ParameterValue& value : fixed)
      if (parameters.find(value.name) == range.index) range.low = range.high = value.value;
  return held;
}

}  // namespace twinrl

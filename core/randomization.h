#pragma once
// Domain randomization: `env.randomize: {name: [low, high], ...}` draws each
// named real-valued parameter uniformly at every reset, so that a policy
// trained on a twin holds up where the real facility differs. Names are the
// model's parameters by name ("demand.mean", "stages.holding_cost[0]"; nested
// mappings work too: `demand: {mean: [15, 25]}`);
// the env needs no code for it (Env::reset draws into the env's own
// parameters, and Env::save keeps the draws).
#include <span>
#include <string>
#include <vector>

#include "config/config_node.h"
#include "core/parameters.h"
#include "core/rng.h"

namespace twinrl {

class Randomization {
 public:
  struct Range {
    size_t index = 0;  // in the model's ParameterTable
    double low = 0;
    double high = 0;
  };

  // Reads the `randomize` mapping (absent or null: nothing is randomized).
  // Each key must name a real-valued parameter of the table and each range
  // must lie within its bounds; anything else is a ConfigError at the key.
  static Randomization parse(const ConfigNode& node, const ParameterTable& parameters);

  // The same with the parameters `fixed` gives values to held at those
  // values: a parameter set by name (EnvModel::with_parameters, a what-if
  // scenario) keeps its value at every reset. Its draw still happens (of the
  // range [value, value]), so the other draws, and every random number after
  // them, stay those of the unchanged model: scenarios share their episodes.
  Randomization with_fixed(const std::vector<ParameterValue>& fixed,
                           const ParameterTable& parameters) const;

  bool empty() const { return ranges_.empty(); }
  // In parameter order.
  const std::vector<Range>& ranges() const { return ranges_; }

  // Overwrites each randomized number with a uniform draw from its range, in
  // parameter order; `numbers` are an env's, indexed as the table.
  void draw(std::span<const NumberRef> numbers, Rng& rng) const {
    for (const Range& range : ranges_) numbers[range.index].set(rng.uniform(range.low, range.high));
  }

 private:
  std::vector<Range> ranges_;
};

}  // namespace twinrl

#include "twins/twin_spec.h"

#include <algorithm>

#include "config/closest_match.h"

namespace twinrl {

TwinSpec read_twin_spec(const RunConfig& config, const EnvModel& model) {
  if (!config.twin.defined())
    config.source.fail(
        "no twin section: a twin config says where its logs are and what is calibrated "
        "from them (twin: {logs: ..., calibrate: ...}; see twins/README.md)");
  TwinSpec spec;
  read_fields(config.twin, spec);
  const std::vector<std::string> policies = model.baseline_names();
  if (spec.logged_policy.empty() && !policies.empty()) spec.logged_policy = policies.front();
  if (!spec.logged_policy.empty() &&
      std::ranges::find(policies, spec.logged_policy) == policies.end()) {
    std::string known;
    for (const std::string& name : policies) known += (known.empty() ? "" : ", ") + name;
    config.twin.child("logged_policy")
        .fail("env " + config.env.id + " has no baseline '" + spec.logged_policy + "' (" +
              (known.empty() ? "none" : known) + ")");
  }
  const ParameterTable& parameters = model.parameters();
  std::vector<std::string> real_names;
  for (const ParameterInfo& info : parameters.infos())
    if (info.real) real_names.push_back(info.name);
  for (size_t i = 0; i < spec.randomize_from_fit.size(); ++i) {
    const std::string& name = spec.randomize_from_fit[i];
    if (std::ranges::find(real_names, name) != real_names.end()) continue;
    std::string message = "'" + name + "' is not a real-valued parameter of " + config.env.id;
    if (const auto close = closest_match(name, real_names))
      message += "; did you mean '" + *close + "'?";
    config.twin.child("randomize_from_fit").element(i).fail(message);
  }
  return spec;
}

}  // namespace twinrl

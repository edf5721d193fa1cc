#include "agents/experiment.h"

#include "core/schema.h"

namespace twinrl {

Experiment load_experiment(const std::string& path, const std::vector<std::string>& overrides,
                           const EnvRegistry& registry) {
  Experiment experiment;
  experiment.run = load_run_config(path, overrides);
  read_fields(experiment.run.agent, experiment.agent);
  const ConfigNode env = experiment.run.source.child("env");
  const EnvEntry& entry = registry.entry(experiment.run.env.id, env.child("id"));
  experiment.env_model = entry.build(experiment.run.env.params);

  RunConfig resolved_run = experiment.run;
  resolved_run.env.params = ConfigNode();
  resolved_run.agent = ConfigNode();
  experiment.resolved = write_fields(resolved_run);
  experiment.resolved["env"]["params"] = entry.resolve(experiment.run.env.params);
  experiment.resolved["agent"] = write_fields(experiment.agent);
  return experiment;
}

}  // namespace twinrl

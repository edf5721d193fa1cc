#include "agents/record_rollout.h"

#include <yaml-cpp/yaml.h>

namespace twinrl {

std::filesystem::path rollout_path(const std::filesystem::path& run_dir, const std::string& label) {
  return run_dir / "rollouts" / (label + ".jsonl");
}

viewer::RolloutHeader rollout_header(const Experiment& experiment,
                                     const RecordingRequest& request) {
  YAML::Emitter config;
  config << experiment.resolved;
  return viewer::make_rollout_header(experiment.env_model->spec(), config.c_str(),
                                     request.policy.name, request.training_step, request.seed);
}

EvaluationResult record_rollout(const Experiment& experiment, const RecordingRequest& request,
                                const std::filesystem::path& out) {
  viewer::RolloutRecorder recorder(rollout_header(experiment, request), request.episodes);
  EvaluationResult result =
      evaluate(experiment, request.policy, request.episodes, request.seed, &recorder);
  viewer::write_rollout(out, recorder.rollout());
  return result;
}

}  // namespace twinrl

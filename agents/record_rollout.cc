#include "agents/record_rollout.h"

#include <yaml-cpp/yaml.h>

namespace twinrl {

RolloutHeader rollout_header(const Experiment& experiment, const RecordingRequest& request) {
  YAML::Emitter config;
  config << experiment.resolved;
  return make_rollout_header(experiment.env_model->spec(), config.c_str(), request.policy.name,
                             request.training_step, request.seed);
}

EvaluationResult record_rollout(const Experiment& experiment, const RecordingRequest& request,
                                const std::filesystem::path& out) {
  RolloutRecorder recorder(rollout_header(experiment, request), request.episodes);
  EvaluationResult result =
      evaluate(experiment, request.policy, request.episodes, request.seed, &recorder);
  write_rollout(out, recorder.rollout());
  return result;
}

}  // namespace twinrl

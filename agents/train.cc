#include "agents/train.h"

#include <torch/utils.h>

#include "agents/dqn.h"
#include "agents/ppo.h"

namespace twinrl {

TrainSummary train(const Experiment& experiment, const SessionOptions& options) {
  torch::set_num_threads(experiment.agent.torch_threads);
  TrainingSession session(experiment, options);
  if (experiment.agent.algorithm == "ppo")
    train_ppo(session);
  else if (experiment.agent.algorithm == "dqn")
    train_dqn(session);
  else
    throw std::invalid_argument("algorithm '" + experiment.agent.algorithm +
                                "' is not available yet");
  return {.steps = session.steps(),
          .episodes = session.episodes(),
          .recent_return = session.recent_return()};
}

Experiment load_run_experiment(const std::filesystem::path& run_dir, const EnvRegistry& registry) {
  const std::filesystem::path config = run_dir / "config.yaml";
  if (!std::filesystem::exists(config))
    throw std::runtime_error(run_dir.string() + " is not a run directory: it has no config.yaml");
  return load_experiment(config.string(), {}, registry);
}

}  // namespace twinrl

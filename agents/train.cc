#include "agents/train.h"

#include <cblas.h>
#include <torch/utils.h>

#include "agents/dqn.h"
#include "agents/evaluate.h"
#include "agents/ppo.h"
#include "agents/record_rollout.h"
#include "core/seed_streams.h"
#include "rundir/run_dir.h"

namespace twinrl {

TrainSummary train(const Experiment& experiment, const SessionOptions& options) {
  // The learners' threads are their kernels' (agent.torch_threads); what
  // they leave to LibTorch is small bookkeeping, and LibTorch's OpenMP
  // workers spin after each parallel operation, on the core the kernels'
  // second thread needs.
  torch::set_num_threads(1);
  // OpenBLAS keeps its own pool, one thread per core, that
  // torch::set_num_threads does not limit; idle, its threads spin. The
  // learners' matrix products are small enough for one thread each.
  openblas_set_num_threads(1);
  if (options.communicator && experiment.agent.algorithm != "ppo")
    throw std::invalid_argument("agent.algorithm " + experiment.agent.algorithm +
                                " trains on one process only; --nproc and WORLD_SIZE are for ppo");
  TrainingSession session(experiment, options);
  if (session.writer())
    session.set_recorder([&](int64_t step) {
      // Fresh env seeds per recording, apart from training's and evaluation's.
      const uint64_t seed =
          stream_seed(stream_seed(experiment.run.seed, seed_streams::kTrainingRollouts), step);
      const RunDir& run = session.run_dir();
      record_rollout(experiment,
                     {.policy = {.name = "trained", .checkpoint = run.checkpoint("latest")},
                      .episodes = experiment.agent.record_episodes,
                      .seed = seed,
                      .training_step = step},
                     run.rollout("step_" + std::to_string(step)));
    });
  if (session.writer() && experiment.agent.evaluate_episodes > 0)
    session.set_validator([&](const std::filesystem::path& checkpoint) {
      return evaluate(experiment, {.name = "trained", .checkpoint = checkpoint},
                      experiment.agent.evaluate_episodes,
                      stream_seed(experiment.run.seed, seed_streams::kValidation));
    });
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
  const RunDir run(run_dir);
  run.require_exists();
  return load_experiment(run.config().string(), {}, registry);
}

}  // namespace twinrl

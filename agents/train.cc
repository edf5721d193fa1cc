#include "agents/train.h"

#include <dlfcn.h>
#include <torch/utils.h>

#include "agents/dqn.h"
#include "agents/ppo.h"

namespace twinrl {

namespace {

// Debian's LibTorch multiplies matrices with OpenBLAS, whose own thread pool
// torch::set_num_threads does not limit; left at one thread per core it spins
// against the env workers and other processes (a test measured 4x slower
// training on a busy machine). Looked up at run time, as no OpenBLAS header
// comes with LibTorch.
void limit_blas_threads(int threads) {
  using SetThreads = void (*)(int);
  if (const auto set =
          reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
    set(threads);
}

}  // namespace

TrainSummary train(const Experiment& experiment, const SessionOptions& options) {
  torch::set_num_threads(experiment.agent.torch_threads);
  limit_blas_threads(experiment.agent.torch_threads);
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

#include "agents/policy_checkpoint.h"

#include <torch/serialize/input-archive.h>

#include <stdexcept>
#include <variant>

#include "agents/checkpoint_file.h"
#include "agents/checkpoint_origin.h"

namespace twinrl {

PolicyModule load_policy_module(const Experiment& experiment,
                                const std::filesystem::path& checkpoint) {
  const EnvSpec& spec = experiment.env_model->spec();
  PolicyModule module = [&]() -> PolicyModule {
    if (experiment.agent.algorithm == "ppo") return ActorCritic(spec, experiment.agent.ppo.network);
    if (experiment.agent.algorithm == "dqn") return QNetwork(spec, experiment.agent.dqn);
    throw std::invalid_argument("'" + experiment.agent.algorithm + "' runs have no policy module");
  }();
  read_checkpoint_file(checkpoint, [&](torch::serialize::InputArchive& archive) {
    check_checkpoint_origin(archive, experiment);
    torch::serialize::InputArchive policy_archive;
    archive.read("policy", policy_archive);
    std::visit([&](auto& policy) { load_module_checked(*policy, policy_archive); }, module);
  });
  std::visit([](auto& policy) { policy->eval(); }, module);
  return module;
}

int64_t checkpoint_training_step(const std::filesystem::path& checkpoint) {
  int64_t step = 0;
  read_checkpoint_file(checkpoint, [&](torch::serialize::InputArchive& archive) {
    torch::Tensor saved;
    archive.read("session/step", saved);
    step = saved.item<int64_t>();
  });
  return step;
}

}  // namespace twinrl

#include "agents/policy_checkpoint.h"

#include <torch/serialize/input-archive.h>

#include <stdexcept>

namespace twinrl {

PolicyModule load_policy_module(const Experiment& experiment,
                                const std::filesystem::path& checkpoint) {
  if (!std::filesystem::exists(checkpoint))
    throw std::runtime_error("no checkpoint at " + checkpoint.string());
  torch::serialize::InputArchive archive, policy_archive;
  archive.load_from(checkpoint.string());
  archive.read("policy", policy_archive);
  const EnvSpec& spec = experiment.env_model->spec();
  auto loaded = [&](auto policy) -> PolicyModule {
    policy->load(policy_archive);
    policy->eval();
    return policy;
  };
  if (experiment.agent.algorithm == "ppo")
    return loaded(ActorCritic(spec, experiment.agent.ppo.network));
  if (experiment.agent.algorithm == "dqn") return loaded(QNetwork(spec, experiment.agent.dqn));
  throw std::invalid_argument("'" + experiment.agent.algorithm + "' runs have no policy module");
}

int64_t checkpoint_training_step(const std::filesystem::path& checkpoint) {
  if (!std::filesystem::exists(checkpoint))
    throw std::runtime_error("no checkpoint at " + checkpoint.string());
  torch::serialize::InputArchive archive;
  archive.load_from(checkpoint.string());
  torch::Tensor step;
  archive.read("session/step", step);
  return step.item<int64_t>();
}

}  // namespace twinrl

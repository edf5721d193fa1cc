#include "agents/export/exported_policy.h"

#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>

#include <stdexcept>

#include "agents/policy_checkpoint.h"

namespace twinrl {
namespace {

std::vector<float> to_floats(const torch::Tensor& tensor) {
  const torch::Tensor flat = tensor.detach().to(torch::kFloat32).contiguous().view(-1);
  return {flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel()};
}

// Appends the Linear layers of the Sequential registered as `name` in
// `module`, marking those an activation follows.
void append_layers(torch::nn::Module& module, const std::string& name,
                   std::vector<DenseLayer>& layers) {
  const auto children = module.named_children();
  const auto* sequence = children.find(name);
  if (!sequence) throw std::logic_error("policy module has no '" + name + "'");
  for (const auto& child : (*sequence)->children()) {
    if (const auto* linear = child->as<torch::nn::Linear>()) {
      layers.push_back({.inputs = linear->weight.size(1),
                        .outputs = linear->weight.size(0),
                        .weight = to_floats(linear->weight),
                        .bias = to_floats(linear->bias),
                        .activated = false});
    } else {
      if (layers.empty()) throw std::logic_error("an activation before any layer");
      layers.back().activated = true;
    }
  }
}

void read_normalizer(RunningNormalizer& normalizer, ExportedPolicy& policy) {
  policy.normalize_observations = normalizer->enabled();
  if (!policy.normalize_observations) return;
  // The same float32 rounding as the module: std computed in float64, then cast.
  policy.observation_mean = to_floats(normalizer->mean());
  policy.observation_std = to_floats((normalizer->variance() + normalizer->epsilon()).sqrt());
  policy.observation_clip = static_cast<float>(normalizer->clip());
}

}  // namespace

int64_t ExportedPolicy::action_size() const {
  return rule == ActionRule::kArgmaxPerDimension ? std::ssize(choices) : std::ssize(action_low);
}

ExportedPolicy extract_policy(const Experiment& experiment,
                              const std::filesystem::path& checkpoint) {
  const EnvSpec& spec = experiment.env_model->spec();
  ExportedPolicy policy;
  policy.algorithm = experiment.agent.algorithm;
  policy.observation_size = spec.observation_space.size();
  if (spec.action_space.is_discrete()) {
    policy.rule = ActionRule::kArgmaxPerDimension;
    policy.choices = spec.action_space.nvec();
    policy.action_mask = spec.has_action_mask;
  } else {
    policy.rule = ActionRule::kClippedMean;
    policy.action_low = spec.action_space.low();
    policy.action_high = spec.action_space.high();
  }
  PolicyModule module = load_policy_module(experiment, checkpoint);
  if (auto* actor_critic = std::get_if<ActorCritic>(&module)) {
    policy.activation = experiment.agent.ppo.network.activation;
    read_normalizer((*actor_critic)->observation_normalizer(), policy);
    append_layers(**actor_critic, "actor", policy.layers);
  } else {
    QNetwork& q_network = std::get<QNetwork>(module);
    policy.activation = "relu";
    read_normalizer(q_network->observation_normalizer(), policy);
    append_layers(*q_network, "torso", policy.layers);
    append_layers(*q_network, "head", policy.layers);
  }
  return policy;
}

}  // namespace twinrl

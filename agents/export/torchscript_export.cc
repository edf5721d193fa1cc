#include "agents/export/torchscript_export.h"

#include <torch/script.h>

#include <cstdio>

#include "rundir/atomic_file.h"

namespace twinrl {
namespace {

torch::Tensor tensor_of(const std::vector<float>& values, std::vector<int64_t> shape) {
  return torch::tensor(values).reshape(shape);
}

// Exact round trip of a float through the script.
std::string script_float(float value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.9g", static_cast<double>(value));
  return text;
}

// The TorchScript source of the module's methods.
std::string script_source(const ExportedPolicy& policy) {
  const std::string size = std::to_string(policy.observation_size);
  std::string source =
      "def outputs(self, observation: Tensor) -> Tensor:\n"
      "    assert observation.dim() == 2 and observation.size(1) == " +
      size + ", 'expected observations of shape [batch, " + size +
      "]'\n"
      "    x = observation\n";
  if (policy.normalize_observations)
    source += "    x = torch.clamp((x - self.observation_mean) / self.observation_std, -" +
              script_float(policy.observation_clip) + ", " + script_float(policy.observation_clip) +
              ")\n";
  for (size_t l = 0; l < policy.layers.size(); ++l) {
    const std::string layer = "self.layer" + std::to_string(l);
    source += "    x = torch.addmm(" + layer + "_bias, x, " + layer + "_weight.t())\n";
    if (policy.layers[l].activated) source += "    x = torch." + policy.activation + "(x)\n";
  }
  source += "    return x\n\n";

  if (policy.rule == ActionRule::kClippedMean) {
    source +=
        "def forward(self, observation: Tensor) -> Tensor:\n"
        "    return torch.max(torch.min(self.outputs(observation), self.action_high), "
        "self.action_low)\n";
    return source;
  }
  // Discrete: the first best allowed choice per dimension. Forbidden choices
  // score -1e30, below any output a policy produces.
  int64_t total = 0;
  for (int64_t n : policy.choices) total += n;
  source += "def choose(self, x: Tensor) -> Tensor:\n    return torch.cat([";
  int64_t offset = 0;
  for (size_t d = 0; d < policy.choices.size(); ++d) {
    if (d > 0) source += ", ";
    source += "torch.argmax(x[:, " + std::to_string(offset) + ":" +
              std::to_string(offset + policy.choices[d]) + "], dim=1, keepdim=True)";
    offset += policy.choices[d];
  }
  source += "], dim=1)\n\n";
  source +=
      "def forward(self, observation: Tensor) -> Tensor:\n"
      "    return self.choose(self.outputs(observation))\n\n"
      "def forward_masked(self, observation: Tensor, mask: Tensor) -> Tensor:\n"
      "    assert mask.dim() == 2 and mask.size(1) == " +
      std::to_string(total) +
      " and mask.size(0) == observation.size(0), 'expected a bool mask of shape [batch, " +
      std::to_string(total) + "]'\n" +
      "    return self.choose(self.outputs(observation).masked_fill(torch.logical_not(mask), "
      "-1e30))\n";
  return source;
}

}  // namespace

void write_torchscript(const ExportedPolicy& policy, const std::filesystem::path& path) {
  torch::jit::Module module("TwinrlPolicy");
  if (policy.normalize_observations) {
    module.register_buffer("observation_mean", tensor_of(policy.observation_mean, {-1}));
    module.register_buffer("observation_std", tensor_of(policy.observation_std, {-1}));
  }
  for (size_t l = 0; l < policy.layers.size(); ++l) {
    const DenseLayer& layer = policy.layers[l];
    const std::string name = "layer" + std::to_string(l);
    module.register_parameter(name + "_weight",
                              tensor_of(layer.weight, {layer.outputs, layer.inputs}), false);
    module.register_parameter(name + "_bias", tensor_of(layer.bias, {layer.outputs}), false);
  }
  if (policy.rule == ActionRule::kClippedMean) {
    module.register_buffer("action_low", tensor_of(policy.action_low, {-1}));
    module.register_buffer("action_high", tensor_of(policy.action_high, {-1}));
  }
  module.define(script_source(policy));
  module.eval();
  write_atomically(path, [&](const std::filesystem::path& temp) { module.save(temp.string()); });
}

}  // namespace twinrl

#pragma once
// The policy as a TorchScript module, defined from C++ over registered
// weights, so that LibTorch's torch::jit::load and PyTorch's torch.jit.load
// both run it without twinrl.
#include <filesystem>

#include "agents/export/exported_policy.h"

namespace twinrl {

// forward(observation [batch, observation size] float32) returns the actions
// [batch, action size]: int64 choices for discrete spaces, float32 otherwise.
// Discrete policies also have forward_masked(observation, mask [batch, choices] bool).
// A wrong-shaped input raises an error that names the expected shape.
void write_torchscript(const ExportedPolicy& policy, const std::filesystem::path& path);

}  // namespace twinrl

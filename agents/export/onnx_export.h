#pragma once
// The policy as an ONNX model, written with ONNX's own protobufs and checked
// by ONNX's checker, for onnxruntime and the tools around it.
#include <filesystem>
#include <string>

#include "agents/export/exported_policy.h"

namespace twinrl {

// The operator set the model declares.
inline constexpr int kOnnxOpset = 13;

// Input "observation" float32 [batch, observation size]; output "action"
// [batch, action size], int64 choices for discrete spaces, float32 otherwise.
// Discrete policies of envs that publish action masks also take the input
// "action_mask", bool [batch, choices of every dimension], true where allowed.
// Throws std::runtime_error if ONNX's checker rejects the model.
void write_onnx(const ExportedPolicy& policy, const std::string& producer_version,
                const std::filesystem::path& path);

}  // namespace twinrl

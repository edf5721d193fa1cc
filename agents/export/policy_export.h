#pragma once
// `twinrl export`: a run's policy as TorchScript, ONNX or a C header, each
// with a metadata file beside it.
#include <filesystem>
#include <string>
#include <vector>

#include "core/env_registry.h"

namespace twinrl {

struct ExportOptions {
  std::string format = "torchscript";  // torchscript, onnx or c
  bool int8 = false;                   // int8 weights (C header only)
  std::string checkpoint = "best";     // best or latest
  std::filesystem::path out_dir;
};

// Writes the policy of `run_dir` and its metadata (<file>.json: spaces,
// control period, normalizer, KPI names, source run and config checksum,
// twinrl version, file checksums) into options.out_dir, atomically. Returns
// the files written.
std::vector<std::filesystem::path> export_policy(const std::filesystem::path& run_dir,
                                                 const ExportOptions& options,
                                                 const EnvRegistry& registry);

}  // namespace twinrl

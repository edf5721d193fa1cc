#include "agents/export/policy_export.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "agents/export/c_header.h"
#include "agents/export/onnx_export.h"
#include "agents/export/torchscript_export.h"
#include "agents/train.h"
#include "rundir/atomic_file.h"
#include "rundir/crc32c.h"
#include "rundir/run_dir.h"

namespace twinrl {
namespace {

std::string hex_crc32c(std::string_view bytes) {
  char text[16];
  std::snprintf(text, sizeof text, "%08x", crc32c(bytes));
  return text;
}

// JSON has no infinity: unbounded dimensions are written as "inf" and "-inf".
nlohmann::json bounds_json(const std::vector<float>& bounds) {
  nlohmann::json json = nlohmann::json::array();
  for (float bound : bounds)
    if (std::isinf(bound))
      json.push_back(bound > 0 ? "inf" : "-inf");
    else
      json.push_back(bound);
  return json;
}

nlohmann::json space_json(const Space& space, const std::vector<std::string>& names) {
  nlohmann::json json = {{"description", space.describe()}, {"size", space.size()}};
  if (space.is_discrete())
    json["choices"] = space.nvec();
  else
    json.update({{"low", bounds_json(space.low())}, {"high", bounds_json(space.high())}});
  if (!names.empty()) json["names"] = names;
  return json;
}

nlohmann::json metadata(const Experiment& experiment, const ExportedPolicy& policy,
                        const std::filesystem::path& run_dir, const ExportOptions& options,
                        const std::filesystem::path& file) {
  const EnvSpec& spec = experiment.env_model->spec();
  nlohmann::json json = {
      {"format", options.format},
      {"file", file.filename().string()},
      {"twinrl_version", TWINRL_VERSION},
      {"source",
       {{"run", std::filesystem::absolute(run_dir).lexically_normal().string()},
        {"checkpoint", options.checkpoint},
        {"algorithm", policy.algorithm},
        {"config_crc32c", hex_crc32c(read_file(RunDir(run_dir).config()))}}},
      {"env",
       {{"id", spec.id},
        {"agents", spec.num_agents},
        {"control_period_s", spec.control_period_s},
        {"kpi_names", spec.kpi_names}}},
      {"observation", space_json(spec.observation_space, spec.observation_names)},
      {"action", space_json(spec.action_space, spec.action_names)},
      {"action_mask", policy.action_mask},
      {"normalizer",
       {{"enabled", policy.normalize_observations},
        {"mean", policy.observation_mean},
        {"std", policy.observation_std},
        {"clip", policy.observation_clip},
        {"rule", "(observation - mean) / std, clipped to +-clip"}}},
      {"action_rule", policy.rule == ActionRule::kArgmaxPerDimension
                          ? "argmax per dimension among allowed choices"
                          : "Gaussian mean clipped to [low, high]"},
  };
  if (options.format == "onnx") json["onnx_opset"] = kOnnxOpset;
  if (options.int8)
    json["int8"] = {{"scheme", "symmetric per output channel: w[i][o] = scale[o] * q[i][o]"},
                    {"largest_weight_error", int8_weight_error(policy)}};
  const std::string bytes = read_file(file);
  json["files"] = {
      {file.filename().string(), {{"bytes", bytes.size()}, {"crc32c", hex_crc32c(bytes)}}}};
  return json;
}

}  // namespace

std::vector<std::filesystem::path> export_policy(const std::filesystem::path& run_dir,
                                                 const ExportOptions& options,
                                                 const EnvRegistry& registry) {
  if (options.int8 && options.format != "c")
    throw std::invalid_argument("--int8 applies to the C header only");
  const Experiment experiment = load_run_experiment(run_dir, registry);
  const ExportedPolicy policy =
      extract_policy(experiment, RunDir(run_dir).checkpoint(options.checkpoint));
  std::filesystem::create_directories(options.out_dir);

  std::filesystem::path file;
  if (options.format == "torchscript") {
    file = options.out_dir / "policy.pt";
    write_torchscript(policy, file);
  } else if (options.format == "onnx") {
    file = options.out_dir / "policy.onnx";
    write_onnx(policy, TWINRL_VERSION, file);
  } else if (options.format == "c") {
    file = options.out_dir / (options.int8 ? "policy_int8.h" : "policy.h");
    const std::string banner = "twinrl " + std::string(TWINRL_VERSION) + " policy of run " +
                               run_dir.string() + " (" + options.checkpoint + ", " +
                               policy.algorithm + " on " + experiment.run.env.id + ").";
    write_file_atomically(file, c_header(policy, {.int8 = options.int8, .banner = banner}));
  } else {
    throw std::invalid_argument("unknown export format '" + options.format +
                                "' (torchscript, onnx, c)");
  }
  std::filesystem::path metadata_file = file;
  metadata_file += ".json";
  write_file_atomically(metadata_file,
                        metadata(experiment, policy, run_dir, options, file).dump(2) + "\n");
  return {file, metadata_file};
}

}  // namespace twinrl

#include "twins/twin_command_support.h"

#include <algorithm>
#include <cstdio>
#include <thread>

#include "config/config_node.h"
#include "core/parameter_mapping.h"
#include "rundir/atomic_file.h"
#include "twins/twin_commands.h"

namespace twinrl {
namespace {

namespace fs = std::filesystem;

// Merges `patch` into `target`, mapping by mapping.
void merge(YAML::Node target, const YAML::Node& patch) {
  for (const auto& entry : patch) {
    const std::string key = entry.first.as<std::string>();
    if (entry.second.IsMap() && target[key].IsMap())
      merge(target[key], entry.second);
    else
      target[key] = YAML::Clone(entry.second);
  }
}

}  // namespace

void progress(const std::string& message) {
  std::printf("%s\n", message.c_str());
  std::fflush(stdout);
}

int twin_threads(const Experiment& experiment) {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::clamp(experiment.run.env.threads, 1, cores);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

fs::path beside(const fs::path& path, const std::string& suffix) {
  fs::path result = path;
  result.replace_extension(suffix);
  return result;
}

std::shared_ptr<const EnvModel> with_truth(const std::string& path, const EnvModel& model) {
  const ConfigNode truth = load_config_file(path);
  if (!truth.defined())
    truth.fail("the truth file is empty: it gives parameter values by name (demand.mean: 23)");
  return model.with_parameters(parse_parameter_values(truth, model.parameters()));
}

void show_truth(const std::string& path, const EnvModel& model,
                std::vector<CalibratedValue>& values) {
  const auto truth = with_truth(path, model);
  for (CalibratedValue& value : values)
    if (const auto index = truth->parameters().find(value.parameter))
      value.truth = truth->parameters().value(*index);
}

void write_calibrated_config(const Experiment& guess, const YAML::Node& params_patch,
                             const YAML::Node& randomize, const TwinCalibrateOptions& options) {
  YAML::Node root = YAML::Clone(guess.run.source.yaml());
  YAML::Node params = root["env"]["params"];
  if (!params.IsMap()) params = YAML::Node(YAML::NodeType::Map);
  merge(params, params_patch);
  root["env"]["params"] = params;
  if (randomize.size() > 0) {
    YAML::Node entries = root["env"]["randomize"];
    if (!entries.IsMap()) entries = YAML::Node(YAML::NodeType::Map);
    merge(entries, randomize);
    root["env"]["randomize"] = entries;
  }
  root["name"] = guess.run.name + "_calibrated";
  YAML::Emitter yaml;
  yaml << root;
  const fs::path out = options.out;
  if (!out.parent_path().empty()) fs::create_directories(out.parent_path());
  write_file_atomically(out, "# Calibrated by `twinrl twin calibrate " + options.config +
                                 " --logs " + options.logs +
                                 "`; report: " + beside(out, ".report.html").filename().string() +
                                 "\n" + yaml.c_str() + "\n");
  progress("calibrated twin: " + out.string());
}

void write_report_files(const nlohmann::json& report, const std::string& html,
                        const fs::path& html_path) {
  write_file_atomically(beside(html_path, ".json"), report.dump(2) + "\n");
  write_file_atomically(html_path, html);
  progress("report: " + html_path.string() + " (and " + beside(html_path, ".json").string() + ")");
}

}  // namespace twinrl

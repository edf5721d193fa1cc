#pragma once
// What the twin commands of every env share: progress lines, the truth file,
// the calibrated config written beside its report, and reports written as
// JSON and HTML together.
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "agents/experiment.h"
#include "core/parameters.h"
#include "twins/calibrated_value.h"

namespace twinrl {

struct TwinCalibrateOptions;

void progress(const std::string& message);
// Worker threads for a twin's replays: the config's env threads, at most the cores.
int twin_threads(const Experiment& experiment);
double seconds_since(std::chrono::steady_clock::time_point start);
// `path` with its extension replaced by `suffix` (".report.html").
std::filesystem::path beside(const std::filesystem::path& path, const std::string& suffix);

// The twin with the truth file's parameter values: the hidden "real"
// facility. A ConfigError naming the file, line and closest name for a value
// the twin's parameters do not take.
std::shared_ptr<const EnvModel> with_truth(const std::string& path, const EnvModel& model);
// Sets each calibrated value's truth from the truth file (for the report).
void show_truth(const std::string& path, const EnvModel& model,
                std::vector<CalibratedValue>& values);

// Writes the twin's own config with `params_patch` merged into env.params and
// `randomize` into env.randomize, named <name>_calibrated, atomically to
// options.out, with a comment naming the command and the report.
void write_calibrated_config(const Experiment& guess, const YAML::Node& params_patch,
                             const YAML::Node& randomize, const TwinCalibrateOptions& options);

// The report as JSON beside `html_path` and the page at it.
void write_report_files(const nlohmann::json& report, const std::string& html,
                        const std::filesystem::path& html_path);

}  // namespace twinrl

#include "twins/twin_commands.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "agents/experiment.h"
#include "config/config_error.h"
#include "core/parameter_mapping.h"
#include "core/rng.h"
#include "envs/builtin_envs.h"
#include "envs/supply_chain/supply_chain_env.h"
#include "rundir/atomic_file.h"
#include "twins/supply_chain_calibration.h"
#include "twins/supply_chain_fidelity.h"
#include "twins/supply_chain_simulation.h"
#include "twins/twin_report.h"
#include "twins/twin_spec.h"

namespace twinrl {
namespace {

namespace fs = std::filesystem;

// A twin config loaded and checked: the experiment, its supply-chain model,
// the twin spec and its supply-chain sections.
struct LoadedTwin {
  Experiment experiment;
  std::shared_ptr<const SupplyChainModel> model = nullptr;
  TwinSpec spec = {};
  SupplyChainLogFiles files = {};
  SupplyChainCalibrationSpec calibration = {};
};

LoadedTwin check_twin(Experiment experiment) {
  LoadedTwin twin{.experiment = std::move(experiment)};
  twin.model = std::dynamic_pointer_cast<const SupplyChainModel>(twin.experiment.env_model);
  if (!twin.model)
    twin.experiment.run.source.child("env").child("id").fail(
        "twins calibrate SupplyChain envs so far; " + twin.experiment.run.env.id +
        " has no twin yet");
  twin.spec = read_twin_spec(twin.experiment.run, *twin.model);
  read_fields(twin.spec.logs, twin.files);
  twin.calibration = read_calibration_spec(twin.spec.calibrate, *twin.model);
  return twin;
}

LoadedTwin load_twin(const std::string& path, const std::vector<std::string>& overrides) {
  return check_twin(load_experiment(path, overrides, builtin_envs()));
}

// The truth file's parameter values, checked against the twin's parameters.
std::vector<ParameterValue> read_truth(const std::string& path, const EnvModel& model) {
  const ConfigNode truth = load_config_file(path);
  if (!truth.defined())
    truth.fail("the truth file is empty: it gives parameter values by name (demand.mean: 23)");
  return parse_parameter_values(truth, model.parameters());
}

void progress(const std::string& message) {
  std::printf("%s\n", message.c_str());
  std::fflush(stdout);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The policy the facility ran, with the twin's baseline levels.
std::unique_ptr<BaselinePolicy> logged_policy(const LoadedTwin& twin, const EnvModel& model) {
  return model.make_baseline(twin.spec.logged_policy, twin.experiment.run.seed);
}

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

fs::path beside(const fs::path& path, const std::string& suffix) {
  fs::path result = path;
  result.replace_extension(suffix);
  return result;
}

void write_report(const TwinReportInput& input, const fs::path& html_path) {
  const nlohmann::json report = twin_report_json(input);
  write_file_atomically(beside(html_path, ".json"), report.dump(2) + "\n");
  write_file_atomically(html_path, twin_report_html(report));
  progress("report: " + html_path.string() + " (and " + beside(html_path, ".json").string() + ")");
}

std::vector<FidelityColumn> measure(
    const std::vector<std::pair<std::string, const LoadedTwin*>>& twins, const LogSummary& log) {
  std::vector<FidelityColumn> columns;
  for (const auto& [label, twin] : twins) {
    const auto start = std::chrono::steady_clock::now();
    const auto policy = logged_policy(*twin, *twin->model);
    columns.push_back({label, measure_fidelity(log, *twin->model, baseline_facility_policy(*policy),
                                               twin->spec.replications,
                                               stream_seed(twin->experiment.run.seed, 7))});
    char line[160];
    std::snprintf(line, sizeof line,
                  "replayed %lld periods x%d through the %s in %.1f s: sales KS %.3f, lead time "
                  "KS %.3f",
                  static_cast<long long>(log.periods), twin->spec.replications, label.c_str(),
                  seconds_since(start), columns.back().fidelity.sales_ks,
                  columns.back().fidelity.lead_time_ks);
    progress(line);
  }
  return columns;
}

}  // namespace

void check_twin_section(const Experiment& experiment) {
  check_twin(experiment);
}

void twin_synth(const TwinSynthOptions& options) {
  const LoadedTwin twin = load_twin(options.config, options.overrides);
  const auto truth = twin.model->with_parameters(read_truth(options.truth, *twin.model));
  const std::string policy_name = options.policy.empty() ? twin.spec.logged_policy : options.policy;
  const uint64_t seed = options.seed.value_or(twin.experiment.run.seed);
  const auto start = std::chrono::steady_clock::now();
  // A run directory's policy, or one of the env's baselines.
  std::unique_ptr<BaselinePolicy> baseline;
  FacilityPolicy policy;
  if (fs::is_directory(policy_name)) {
    policy = trained_facility_policy(policy_name, *truth);
  } else {
    try {
      baseline = truth->make_baseline(policy_name, seed);
    } catch (const std::invalid_argument& error) {
      throw ConfigError("--policy: " + std::string(error.what()) + ", or a run directory");
    }
    policy = baseline_facility_policy(*baseline);
  }
  const SupplyChainLogs logs = simulate_supply_chain_logs(
      static_cast<const SupplyChainModel&>(*truth), policy, options.periods, seed);
  write_supply_chain_logs(options.out, logs, *twin.model);
  const LogSummary summary = summarize_logs(logs);
  char line[200];
  std::snprintf(line, sizeof line,
                "%s: %lld periods under %s in %.1f s: mean sales %.2f, in stock %.1f%% of "
                "periods, %zu shipments",
                options.out.c_str(), static_cast<long long>(options.periods), policy_name.c_str(),
                seconds_since(start), summary.mean_sales, 100 * summary.in_stock_rate,
                summary.lead_times.size());
  progress(line);
}

void twin_calibrate(const TwinCalibrateOptions& options) {
  const LoadedTwin guess = load_twin(options.config, options.overrides);
  progress("reading logs from " + options.logs);
  const SupplyChainLogs logs = read_supply_chain_logs(options.logs, guess.files, *guess.model);
  const auto start = std::chrono::steady_clock::now();
  SupplyChainCalibration calibration =
      calibrate_supply_chain(*guess.model, logs, guess.calibration, guess.spec);
  if (!options.truth.empty()) {
    const auto truth = guess.model->with_parameters(read_truth(options.truth, *guess.model));
    for (CalibratedValue& value : calibration.values)
      if (const auto index = truth->parameters().find(value.parameter))
        value.truth = truth->parameters().value(*index);
  }
  char line[200];
  std::snprintf(line, sizeof line, "calibrated %zu parameters in %.2f s", calibration.values.size(),
                seconds_since(start));
  progress(line);

  // The calibrated config: the twin's own, with the fitted values and ranges.
  YAML::Node root = YAML::Clone(guess.experiment.run.source.yaml());
  YAML::Node params = root["env"]["params"];
  if (!params.IsMap()) params = YAML::Node(YAML::NodeType::Map);
  merge(params, calibration.params_patch);
  // Relative paths were relative to the twin's config, which may be elsewhere.
  if (!guess.model->params().demand.history_file.empty() && params["demand"]["history_file"])
    params["demand"]["history_file"] = guess.model->params().demand.history_file;
  root["env"]["params"] = params;
  if (calibration.randomize.size() > 0) {
    YAML::Node randomize = root["env"]["randomize"];
    if (!randomize.IsMap()) randomize = YAML::Node(YAML::NodeType::Map);
    merge(randomize, calibration.randomize);
    root["env"]["randomize"] = randomize;
  }
  root["name"] = guess.experiment.run.name + "_calibrated";
  YAML::Emitter yaml;
  yaml << root;
  const fs::path out = options.out;
  if (!out.parent_path().empty()) fs::create_directories(out.parent_path());
  write_file_atomically(out, "# Calibrated by `twinrl twin calibrate " + options.config +
                                 " --logs " + options.logs +
                                 "`; report: " + beside(out, ".report.html").filename().string() +
                                 "\n" + yaml.c_str() + "\n");
  progress("calibrated twin: " + out.string());

  const LoadedTwin calibrated = load_twin(out.string(), {});
  const LogSummary log = summarize_logs(logs);
  TwinReportInput report{.title = "Twin calibration: " + guess.experiment.run.name,
                         .config = options.config,
                         .logs = options.logs,
                         .command = "calibrate",
                         .calibration = &calibration,
                         .log = log};
  report.twins = measure({{"uncalibrated twin", &guess}, {"calibrated twin", &calibrated}}, log);
  write_report(report, beside(out, ".report.html"));
}

void twin_validate(const TwinValidateOptions& options) {
  const LoadedTwin twin = load_twin(options.config, options.overrides);
  progress("reading logs from " + options.logs);
  const SupplyChainLogs logs = read_supply_chain_logs(options.logs, twin.files, *twin.model);
  const LogSummary log = summarize_logs(logs);
  TwinReportInput report{.title = "Twin validation: " + twin.experiment.run.name,
                         .config = options.config,
                         .logs = options.logs,
                         .command = "validate",
                         .log = log};
  report.twins = measure({{"twin", &twin}}, log);
  const fs::path html =
      options.out.empty() ? beside(options.config, ".validation.html") : fs::path(options.out);
  write_report(report, html);
}

}  // namespace twinrl

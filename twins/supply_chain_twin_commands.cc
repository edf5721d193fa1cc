#include "twins/twin_kind_commands.h"

#include <cstdio>
#include <filesystem>
#include <memory>

#include "agents/experiment.h"
#include "config/config_error.h"
#include "core/rng.h"
#include "envs/builtin_envs.h"
#include "envs/supply_chain/stock_policies.h"
#include "envs/supply_chain/supply_chain_env.h"
#include "twins/supply_chain_calibration.h"
#include "twins/supply_chain_fidelity.h"
#include "twins/supply_chain_simulation.h"
#include "twins/twin_command_support.h"
#include "twins/twin_commands.h"
#include "twins/twin_report.h"
#include "twins/twin_spec.h"

namespace twinrl {
namespace {

namespace fs = std::filesystem;

// A twin config loaded and checked: the experiment, its supply-chain model,
// the twin spec and its supply-chain sections.
struct LoadedSupplyChainTwin {
  Experiment experiment;
  std::shared_ptr<const SupplyChainModel> model = nullptr;
  TwinSpec spec = {};
  SupplyChainLogFiles files = {};
  SupplyChainCalibrationSpec calibration = {};
};

LoadedSupplyChainTwin loaded_supply_chain_twin(Experiment experiment) {
  LoadedSupplyChainTwin twin{.experiment = std::move(experiment)};
  twin.model = std::dynamic_pointer_cast<const SupplyChainModel>(twin.experiment.env_model);
  twin.spec = read_twin_spec(twin.experiment.run, *twin.model);
  // A facility's logs run on with no episode's end, and so do the twin's
  // replays of them: nothing that counts down to one can run the facility.
  const RunConfig& config = twin.experiment.run;
  if (twin.model->params().observe_periods_left)
    config.source.child("env")
        .child("params")
        .child("observe_periods_left")
        .fail("a twin replays a facility's logs, which have no episode's end to count down to");
  if (twin.spec.logged_policy == kHorizonCappedBaseStock)
    config.twin.child("logged_policy")
        .fail(std::string(kHorizonCappedBaseStock) +
              " stops ordering before an episode's end, which a facility's logs do not have");
  read_fields(twin.spec.logs, twin.files);
  twin.calibration = read_calibration_spec(twin.spec.calibrate, *twin.model);
  return twin;
}

LoadedSupplyChainTwin load_supply_chain_twin(const std::string& path,
                                             const std::vector<std::string>& overrides) {
  return loaded_supply_chain_twin(load_experiment(path, overrides, builtin_envs()));
}

// The policy the facility ran, with the twin's baseline levels.
std::unique_ptr<BaselinePolicy> logged_policy(const LoadedSupplyChainTwin& twin,
                                              const EnvModel& model) {
  return model.make_baseline(twin.spec.logged_policy, twin.experiment.run.seed);
}

void write_report(const TwinReportInput& input, const fs::path& html_path) {
  const nlohmann::json report = twin_report_json(input);
  write_report_files(report, twin_report_html(report), html_path);
}

std::vector<FidelityColumn> measure(
    const std::vector<std::pair<std::string, const LoadedSupplyChainTwin*>>& twins,
    const LogSummary& log) {
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

void check_supply_chain_twin(const Experiment& experiment) {
  loaded_supply_chain_twin(experiment);
}

void supply_chain_twin_synth(Experiment experiment, const TwinSynthOptions& options) {
  const LoadedSupplyChainTwin twin = loaded_supply_chain_twin(std::move(experiment));
  const auto truth = with_truth(options.truth, *twin.model);
  const std::string policy_name = options.policy.empty() ? twin.spec.logged_policy : options.policy;
  if (policy_name == kHorizonCappedBaseStock)
    throw ConfigError("--policy " + policy_name +
                      ": it stops ordering before an episode's end, which a facility's log does "
                      "not have");
  const uint64_t seed = options.seed.value_or(twin.experiment.run.seed);
  const auto start = std::chrono::steady_clock::now();
  const FacilityPolicy policy =
      facility_policy_named(policy_name, *truth, seed, "or a run directory");
  const int64_t periods = options.periods.value_or(730);
  const SupplyChainLogs logs = simulate_supply_chain_logs(
      static_cast<const SupplyChainModel&>(*truth), policy, periods, seed);
  write_supply_chain_logs(options.out, logs, *twin.model);
  const LogSummary summary = summarize_logs(logs);
  char line[200];
  std::snprintf(line, sizeof line,
                "%s: %lld periods under %s in %.1f s: mean sales %.2f, in stock %.1f%% of "
                "periods, %zu shipments",
                options.out.c_str(), static_cast<long long>(periods), policy_name.c_str(),
                seconds_since(start), summary.mean_sales, 100 * summary.in_stock_rate,
                summary.lead_times.size());
  progress(line);
}

void supply_chain_twin_calibrate(Experiment experiment, const TwinCalibrateOptions& options) {
  const LoadedSupplyChainTwin guess = loaded_supply_chain_twin(std::move(experiment));
  progress("reading logs from " + options.logs);
  const SupplyChainLogs logs = read_supply_chain_logs(options.logs, guess.files, *guess.model);
  const auto start = std::chrono::steady_clock::now();
  SupplyChainCalibration calibration =
      calibrate_supply_chain(*guess.model, logs, guess.calibration, guess.spec);
  if (!options.truth.empty()) show_truth(options.truth, *guess.model, calibration.values);
  char line[200];
  std::snprintf(line, sizeof line, "calibrated %zu parameters in %.2f s", calibration.values.size(),
                seconds_since(start));
  progress(line);

  // Relative paths were relative to the twin's config, which may be elsewhere.
  YAML::Node patch = YAML::Clone(calibration.params_patch);
  if (!guess.model->params().demand.history_file.empty())
    patch["demand"]["history_file"] = guess.model->params().demand.history_file;
  write_calibrated_config(guess.experiment, patch, calibration.randomize, options);
  const fs::path out = options.out;

  const LoadedSupplyChainTwin calibrated = load_supply_chain_twin(out.string(), {});
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

void supply_chain_twin_validate(Experiment experiment, const TwinValidateOptions& options) {
  const LoadedSupplyChainTwin twin = loaded_supply_chain_twin(std::move(experiment));
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

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "config/config_error.h"
#include "core/env_registry.h"
#include "core/worker_pool.h"
#include "envs/builtin_envs.h"
#include "envs/warehouse/warehouse_env.h"
#include "twins/facility_policy.h"
#include "twins/twin_command_support.h"
#include "twins/twin_kind_commands.h"
#include "twins/twin_spec.h"
#include "twins/warehouse_calibration.h"
#include "twins/warehouse_fidelity.h"
#include "twins/warehouse_simulation.h"
#include "twins/warehouse_twin_report.h"

namespace twinrl {
namespace {

namespace fs = std::filesystem;
using warehouse::WarehouseModel;
using warehouse::WarehouseParams;

// A warehouse twin config loaded and checked. `model` is the twin's nominal
// warehouse without randomization: logs and replays run it as it is.
struct LoadedWarehouseTwin {
  Experiment experiment;
  std::shared_ptr<const WarehouseModel> model = nullptr;
  TwinSpec spec = {};
  WarehouseLogFiles files = {};
  WarehouseCalibrationSpec calibration = {};
};

LoadedWarehouseTwin loaded_warehouse_twin(Experiment experiment) {
  LoadedWarehouseTwin twin{.experiment = std::move(experiment)};
  const auto& floor = static_cast<const WarehouseModel&>(*twin.experiment.env_model);
  twin.model = make_model<WarehouseParams, WarehouseModel>(floor.params());
  twin.spec = read_twin_spec(twin.experiment.run, *twin.model);
  read_fields(twin.spec.logs, twin.files);
  read_fields(twin.spec.calibrate, twin.calibration);
  return twin;
}

WarehouseFidelityColumn fidelity_column(const std::string& label, const LoadedWarehouseTwin& twin,
                                        const WarehouseLogSummary& log, WorkerPool& pool) {
  const auto start = std::chrono::steady_clock::now();
  WarehouseFidelityColumn column{
      label,
      measure_warehouse_fidelity(log, *twin.model, twin.spec.logged_policy, twin.spec.replications,
                                 stream_seed(twin.experiment.run.seed, 7), pool)};
  char line[240];
  std::snprintf(line, sizeof line,
                "replayed %.1f hours x%d through the %s in %.1f s: %.1f orders delivered per hour "
                "(log %.1f), pick time KS %.3f",
                log.hours, twin.spec.replications, label.c_str(), seconds_since(start),
                column.fidelity.kpis[1].twin_mean, log.deliveries_per_hour,
                column.fidelity.pick_time_ks);
  progress(line);
  return column;
}

void write_report(const WarehouseTwinReportInput& input, const fs::path& html) {
  const nlohmann::json report = warehouse_twin_report_json(input);
  write_report_files(report, warehouse_twin_report_html(report), html);
}

WarehouseLogs read_logs(const std::string& directory, const LoadedWarehouseTwin& twin) {
  progress("reading logs from " + directory);
  const auto start = std::chrono::steady_clock::now();
  WarehouseLogs logs = read_warehouse_logs(directory, twin.files, *twin.model);
  char line[200];
  std::snprintf(line, sizeof line, "read %zu orders and %zu robot events in %.1f s",
                logs.orders.size(), logs.robot_events.size(), seconds_since(start));
  progress(line);
  return logs;
}

}  // namespace

void check_warehouse_twin(const Experiment& experiment) {
  loaded_warehouse_twin(experiment);
}

void warehouse_twin_synth(Experiment experiment, const TwinSynthOptions& options) {
  const LoadedWarehouseTwin twin = loaded_warehouse_twin(std::move(experiment));
  const auto truth =
      std::static_pointer_cast<const WarehouseModel>(with_truth(options.truth, *twin.model));
  if (truth->params().order_arrival_rates.empty())
    throw ConfigError(
        options.truth +
        ": the truth has no order_arrival_rates, so no order arrives on its own (RWARE's rule "
        "replaces each delivered request at once) and the logs would hold no orders; give the "
        "rates per slot of the day in the twin's env.params or in the truth file");
  const std::string policy_name = options.policy.empty() ? twin.spec.logged_policy : options.policy;
  const uint64_t seed = options.seed.value_or(twin.experiment.run.seed);
  const double period_s = truth->params().control_period_s;
  const int64_t steps =
      options.periods.value_or(static_cast<int64_t>(std::round(7 * 86400 / period_s)));
  const auto start = std::chrono::steady_clock::now();
  const FacilityPolicy policy =
      facility_policy_named(policy_name, *truth, seed, "or a run directory");
  const WarehouseLogs logs = simulate_warehouse_logs(*truth, policy, steps, seed);
  write_warehouse_logs(options.out, logs);
  const WarehouseLogSummary summary = summarize_warehouse_logs(logs);
  char line[240];
  std::snprintf(line, sizeof line,
                "%s: %.1f hours under %s in %.1f s: %zu orders (%.1f per hour), %.1f delivered "
                "per hour, %zu robot events",
                options.out.c_str(), summary.hours, policy_name.c_str(), seconds_since(start),
                logs.orders.size(), summary.orders_per_hour, summary.deliveries_per_hour,
                logs.robot_events.size());
  progress(line);
}

void warehouse_twin_calibrate(Experiment experiment, const TwinCalibrateOptions& options) {
  const LoadedWarehouseTwin guess = loaded_warehouse_twin(std::move(experiment));
  const WarehouseLogs logs = read_logs(options.logs, guess);
  const auto start = std::chrono::steady_clock::now();
  WarehouseCalibration calibration =
      calibrate_warehouse(*guess.model, logs, guess.calibration, guess.spec);
  if (!options.truth.empty()) show_truth(options.truth, *guess.model, calibration.values);
  char line[200];
  std::snprintf(line, sizeof line, "calibrated %zu parameters in %.2f s", calibration.values.size(),
                seconds_since(start));
  progress(line);
  write_calibrated_config(guess.experiment, calibration.params_patch, calibration.randomize,
                          options);

  const LoadedWarehouseTwin calibrated =
      loaded_warehouse_twin(load_experiment(options.out, {}, builtin_envs()));
  WorkerPool pool(twin_threads(guess.experiment));
  WarehouseTwinReportInput report{.title = "Twin calibration: " + guess.experiment.run.name,
                                  .config = options.config,
                                  .logs = options.logs,
                                  .command = "calibrate",
                                  .calibration = &calibration,
                                  .log = summarize_warehouse_logs(logs)};
  report.twins.push_back(fidelity_column("uncalibrated twin", guess, report.log, pool));
  report.twins.push_back(fidelity_column("calibrated twin", calibrated, report.log, pool));
  write_report(report, beside(options.out, ".report.html"));
}

void warehouse_twin_validate(Experiment experiment, const TwinValidateOptions& options) {
  const LoadedWarehouseTwin twin = loaded_warehouse_twin(std::move(experiment));
  const WarehouseLogs logs = read_logs(options.logs, twin);
  WorkerPool pool(twin_threads(twin.experiment));
  WarehouseTwinReportInput report{.title = "Twin validation: " + twin.experiment.run.name,
                                  .config = options.config,
                                  .logs = options.logs,
                                  .command = "validate",
                                  .log = summarize_warehouse_logs(logs)};
  report.twins.push_back(fidelity_column("twin", twin, report.log, pool));
  write_report(report, options.out.empty() ? beside(options.config, ".validation.html")
                                           : fs::path(options.out));
}

}  // namespace twinrl

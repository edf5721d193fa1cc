#include "twins/twin_kind_commands.h"

#include <cstdio>
#include <filesystem>
#include <memory>

#include "config/config_error.h"
#include "core/env_registry.h"
#include "core/worker_pool.h"
#include "envs/builtin_envs.h"
#include "twins/arm_calibration.h"
#include "twins/arm_excitation.h"
#include "twins/arm_simulation.h"
#include "twins/arm_trajectory_log.h"
#include "twins/arm_twin_report.h"
#include "twins/facility_policy.h"
#include "twins/twin_command_support.h"
#include "twins/twin_spec.h"

namespace twinrl {
namespace {

namespace fs = std::filesystem;

// 60 s of logs at the built-in arm's 25 Hz.
constexpr int64_t kDefaultLogSteps = 1500;

// An arm twin config loaded and checked. `model` is the twin's nominal arm
// without randomization: identification and replays set what they vary.
struct LoadedArmTwin {
  Experiment experiment;
  std::shared_ptr<const robot::ArmModel> model = nullptr;
  TwinSpec spec = {};
  ArmLogFiles files = {};
  ArmCalibrationSpec calibration = {};
};

LoadedArmTwin loaded_arm_twin(Experiment experiment) {
  LoadedArmTwin twin{.experiment = std::move(experiment)};
  const auto& arm = static_cast<const robot::ArmModel&>(*twin.experiment.env_model);
  twin.model = make_model<robot::ArmParams, robot::ArmModel>(arm.params());
  twin.spec = read_twin_spec(twin.experiment.run, *twin.model);
  read_fields(twin.spec.logs, twin.files);
  if (twin.files.fit.empty())
    twin.spec.logs.child("fit").fail("no trajectory logs to fit: name at least one file");
  twin.calibration = read_arm_calibration_spec(twin.spec.calibrate, *twin.model);
  return twin;
}

ArmFidelityColumn fidelity_column(const std::string& twin, const std::string& logs_label,
                                  const robot::ArmModel& model,
                                  const std::vector<ArmTrajectoryLog>& logs, WorkerPool& pool) {
  const auto start = std::chrono::steady_clock::now();
  ArmFidelityColumn column{twin, logs_label, measure_arm_fidelity(model, logs, pool)};
  double worst = 0;
  for (double rmse : column.fidelity.position_rmse) worst = std::max(worst, rmse);
  char line[200];
  std::snprintf(line, sizeof line,
                "replayed the %s through the %s in %.1f s: worst joint RMSE %.4f rad",
                logs_label.c_str(), twin.c_str(), seconds_since(start), worst);
  progress(line);
  return column;
}

}  // namespace

void check_arm_twin(const Experiment& experiment) {
  loaded_arm_twin(experiment);
}

void arm_twin_synth(Experiment experiment, const TwinSynthOptions& options) {
  const LoadedArmTwin twin = loaded_arm_twin(std::move(experiment));
  const auto truth =
      std::static_pointer_cast<const robot::ArmModel>(with_truth(options.truth, *twin.model));
  const std::string policy_name = options.policy.empty() ? "steps" : options.policy;
  const uint64_t seed = options.seed.value_or(twin.experiment.run.seed);
  const int64_t steps = options.periods.value_or(kDefaultLogSteps);
  const auto start = std::chrono::steady_clock::now();
  FacilityPolicy policy;
  if (policy_name == "steps" || policy_name == "chirp") {
    ActionSource signal = excitation_signal(policy_name, truth->spec(), seed);
    policy = [signal](const Env&, std::span<const float> observation, const ActionOutput& out) {
      signal(observation.data(), out.continuous);
    };
  } else {
    policy = facility_policy_named(policy_name, *truth, seed,
                                   "an excitation (steps, chirp) or a run directory");
  }
  const fs::path out = options.out;
  if (out.extension() != ".csv")
    throw ConfigError("--out: an arm twin's log is one CSV file (e.g. logs/excitation.csv); got " +
                      options.out);
  if (!out.parent_path().empty()) fs::create_directories(out.parent_path());
  const int64_t episodes = log_arm_run(*truth, policy, steps, seed, out.string());
  char line[200];
  std::snprintf(line, sizeof line, "%s: %lld control steps (%lld episodes) under %s in %.1f s",
                out.c_str(), static_cast<long long>(steps), static_cast<long long>(episodes),
                policy_name.c_str(), seconds_since(start));
  progress(line);
}

void arm_twin_calibrate(Experiment experiment, const TwinCalibrateOptions& options) {
  const LoadedArmTwin guess = loaded_arm_twin(std::move(experiment));
  progress("reading logs from " + options.logs);
  const std::vector<ArmTrajectoryLog> fit_logs =
      read_arm_logs(options.logs, guess.files.fit, *guess.model);
  const std::vector<ArmTrajectoryLog> heldout_logs =
      read_arm_logs(options.logs, guess.files.heldout, *guess.model);
  int64_t transitions = 0;
  for (const ArmTrajectoryLog& log : fit_logs) transitions += log.transitions();
  WorkerPool pool(twin_threads(guess.experiment));
  progress("fitting " + std::to_string(guess.calibration.parameters.size()) + " parameters to " +
           std::to_string(transitions) + " logged transitions on " + std::to_string(pool.size()) +
           " threads");
  const auto start = std::chrono::steady_clock::now();
  ArmCalibrationSpec settings = guess.calibration;
  settings.settings.progress = progress;
  ArmCalibration calibration = calibrate_arm(*guess.model, fit_logs, settings, guess.spec, pool);
  const double seconds = seconds_since(start);
  if (!options.truth.empty()) show_truth(options.truth, *guess.model, calibration.values);
  char line[200];
  std::snprintf(line, sizeof line, "calibrated %zu parameters in %.1f s (%d iterations)",
                calibration.values.size(), seconds, calibration.fit.iterations);
  progress(line);
  for (const CalibratedValue& value : calibration.values) {
    std::snprintf(line, sizeof line, "  %s: %.4g [%.4g, %.4g]%s", value.parameter.c_str(),
                  value.estimate.value, value.estimate.low, value.estimate.high,
                  value.estimate.identified ? "" : " not determined");
    progress(line);
  }
  write_calibrated_config(guess.experiment, calibration.params_patch, calibration.randomize,
                          options);

  const LoadedArmTwin calibrated =
      loaded_arm_twin(load_experiment(options.out, {}, builtin_envs()));
  ArmTwinReportInput report{.title = "Twin calibration: " + guess.experiment.run.name,
                            .config = options.config,
                            .logs = options.logs,
                            .command = "calibrate",
                            .calibration = &calibration,
                            .calibration_seconds = seconds};
  for (const auto& [logs, label] :
       {std::pair{&fit_logs, "fit logs"}, std::pair{&heldout_logs, "held-out logs"}}) {
    if (logs->empty()) continue;
    report.columns.push_back(
        fidelity_column("uncalibrated twin", label, *guess.model, *logs, pool));
    report.columns.push_back(
        fidelity_column("calibrated twin", label, *calibrated.model, *logs, pool));
    report.logged = logged_positions(*guess.model, *replayed_episodes(*logs).front());
  }
  const nlohmann::json json = arm_twin_report_json(report);
  write_report_files(json, arm_twin_report_html(json), beside(options.out, ".report.html"));
}

void arm_twin_validate(Experiment experiment, const TwinValidateOptions& options) {
  const LoadedArmTwin twin = loaded_arm_twin(std::move(experiment));
  progress("reading logs from " + options.logs);
  std::vector<std::string> files = twin.files.fit;
  files.insert(files.end(), twin.files.heldout.begin(), twin.files.heldout.end());
  const std::vector<ArmTrajectoryLog> logs = read_arm_logs(options.logs, files, *twin.model);
  WorkerPool pool(twin_threads(twin.experiment));
  ArmTwinReportInput report{.title = "Twin validation: " + twin.experiment.run.name,
                            .config = options.config,
                            .logs = options.logs,
                            .command = "validate"};
  report.columns.push_back(fidelity_column("twin", "logs", *twin.model, logs, pool));
  report.logged = logged_positions(*twin.model, *replayed_episodes(logs).front());
  const fs::path html =
      options.out.empty() ? beside(options.config, ".validation.html") : fs::path(options.out);
  const nlohmann::json json = arm_twin_report_json(report);
  write_report_files(json, arm_twin_report_html(json), html);
}

}  // namespace twinrl

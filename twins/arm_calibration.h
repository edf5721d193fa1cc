#pragma once
// Calibrates an arm twin from trajectory logs (twins/README.md, "Arm twins"):
// the `twin.logs` and `twin.calibrate` sections of an Arm twin, the fit of the
// parameters they mark (arm_identification.h), and the fidelity of a twin on
// logs: per joint, the RMSE of its replays against the log, and one episode's
// logged and replayed trajectories for the report's charts.
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/config_node.h"
#include "core/worker_pool.h"
#include "envs/robot/arm_env.h"
#include "twins/arm_identification.h"
#include "twins/arm_trajectory_log.h"
#include "twins/calibrated_value.h"
#include "twins/twin_spec.h"

namespace twinrl {

// `twin.logs` of an arm twin: trajectory logs (file names relative to --logs).
struct ArmLogFiles {
  std::vector<std::string> fit = {"excitation.csv"};
  std::vector<std::string> heldout = {};

  template <class Visitor>
  void visit(Visitor& v) {
    v("fit", fit, {.doc = "trajectory logs the parameters are fitted to"});
    v("heldout", heldout,
      {.doc = "trajectory logs kept out of the fit, on which the report measures fidelity"});
  }
};

// `twin.calibrate` of an arm twin.
struct ArmCalibrationSpec {
  std::vector<std::string> parameters = {"physics.link_mass_scale", "physics.joint_damping_scale",
                                         "physics.actuator_gain_scale", "control_latency_steps"};
  ConfigNode bounds;
  int horizon = 0;
  double confidence = 0.95;
  int max_iterations = 50;
  ArmFitSettings settings;  // resolved against the twin

  template <class Visitor>
  void visit(Visitor& v) {
    v("parameters", parameters,
      {.doc = "what is identified: real-valued parameters of the twin by name; "
              "control_latency_steps is searched among whole steps, observation_noise is the "
              "spread of the residuals"});
    v("bounds", bounds,
      {.doc = "per parameter, [low, high] of the search (default: the guess / 5 to x 5, within "
              "the parameter's own range)"});
    v("horizon", horizon,
      {.doc = "control steps after which replays are put back on the logged state (multiple "
              "shooting, for logs with contacts); 0: each episode replayed whole",
       .min = 0,
       .max = 1000000});
    v("confidence", confidence,
      {.doc = "level of the confidence intervals", .min = 0.5, .max = 0.999});
    v("max_iterations", max_iterations,
      {.doc = "Levenberg-Marquardt iterations per fit", .min = 1, .max = 10000});
  }
};

// Reads twin.calibrate against the twin: a ConfigError for a name the twin
// lacks (with the closest), an integer or vector-element parameter, bounds the
// wrong way round or outside the parameter's range.
ArmCalibrationSpec read_arm_calibration_spec(const ConfigNode& calibrate,
                                             const robot::ArmModel& guess);

// Logs read against the twin's robot (CsvError on bad content).
std::vector<ArmTrajectoryLog> read_arm_logs(const std::string& folder,
                                            const std::vector<std::string>& files,
                                            const robot::ArmModel& model);

// A twin's replays of a set of logs.
struct ArmFidelity {
  std::vector<std::string> joints;
  std::vector<double> position_rmse;  // rad (m for slide joints), per joint
  std::vector<double> velocity_rmse;  // rad/s, per joint
  // The first replayed episode: time, and per joint the replayed positions.
  std::vector<double> time_s;
  std::vector<std::vector<double>> replayed;
};

// The episodes of `logs` that have a transition to replay, in order.
std::vector<const ArmLogEpisode*> replayed_episodes(const std::vector<ArmTrajectoryLog>& logs);

// Replays every episode of `logs` through `model` (its own parameter values).
ArmFidelity measure_arm_fidelity(const robot::ArmModel& model,
                                 const std::vector<ArmTrajectoryLog>& logs, WorkerPool& pool);
// An episode's logged positions per joint, as ArmFidelity::replayed.
std::vector<std::vector<double>> logged_positions(const robot::ArmModel& model,
                                                  const ArmLogEpisode& episode);

struct ArmCalibration {
  ArmFitResult fit;
  std::vector<CalibratedValue> values;
  YAML::Node params_patch;  // merged into env.params
  YAML::Node randomize;     // entries for env.randomize from randomize_from_fit
  std::vector<std::string> notes;
};

ArmCalibration calibrate_arm(const robot::ArmModel& guess,
                             const std::vector<ArmTrajectoryLog>& logs,
                             const ArmCalibrationSpec& settings, const TwinSpec& spec,
                             WorkerPool& pool);

}  // namespace twinrl

// The arm twin's parts: trajectory logs written and read back, every mistake
// in them located (file, row, column), replays that reproduce the truth,
// Jacobians that do not depend on the number of threads, identification of
// a hidden truth and of what the logs cannot determine.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "config/csv_table.h"
#include "core/env_registry.h"
#include "core/worker_pool.h"
#include "envs/robot/arm_env.h"
#include "tests/temp_dir_test.h"
#include "twins/arm_calibration.h"
#include "twins/arm_excitation.h"
#include "twins/arm_identification.h"
#include "twins/arm_simulation.h"
#include "twins/arm_trajectory_log.h"

namespace twinrl {
namespace {

namespace fs = std::filesystem;
using robot::ArmModel;
using robot::ArmParams;

// The built-in arm reaching, with short episodes so that the tests stay fast
// (also under the sanitizers).
std::shared_ptr<const ArmModel> arm(int episode_steps = 40) {
  ArmParams params;
  params.task = "reach";
  params.episode_steps = episode_steps;
  return make_model<ArmParams, ArmModel>(params);
}

std::shared_ptr<const ArmModel> truth_of(const ArmModel& model,
                                         const std::vector<ParameterValue>& values) {
  return std::static_pointer_cast<const ArmModel>(model.with_parameters(values));
}

// `steps` control steps of random-step excitation on `robot`, logged to `path`.
void write_excitation_log(const ArmModel& robot, int64_t steps, const fs::path& path,
                          uint64_t seed = 3) {
  const ActionSource signal = excitation_signal("steps", robot.spec(), seed);
  log_arm_run(
      robot,
      [&signal](const Env&, std::span<const float> observation, const ActionOutput& out) {
        signal(observation.data(), out.continuous);
      },
      steps, seed, path.string());
}

std::vector<std::string> read_lines(const fs::path& path) {
  std::ifstream file(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);) lines.push_back(line);
  return lines;
}

void write_lines(const fs::path& path, const std::vector<std::string>& lines) {
  std::ofstream file(path);
  for (const std::string& line : lines) file << line << '\n';
}

// The CsvError message of reading `path` as a log of `model`, or "".
std::string read_error(const fs::path& path, const ArmModel& model) {
  try {
    read_arm_trajectory_log(path, model);
  } catch (const CsvError& error) {
    return error.what();
  }
  return "";
}

std::vector<const ArmLogEpisode*> episodes_of(const ArmTrajectoryLog& log) {
  std::vector<const ArmLogEpisode*> episodes;
  for (const ArmLogEpisode& episode : log.episodes) episodes.push_back(&episode);
  return episodes;
}

class ArmTwinTest : public test_support::TempDirTest {};

TEST_F(ArmTwinTest, LogsReadBackAsWrittenAndReplayTheTruthExactly) {
  const auto nominal = arm();
  const auto truth =
      truth_of(*nominal, {{"physics.joint_damping_scale", 1.3}, {"control_latency_steps", 1}});
  write_excitation_log(*truth, 100, dir_ / "log.csv");
  const ArmTrajectoryLog log = read_arm_trajectory_log(dir_ / "log.csv", *nominal);
  ASSERT_EQ(log.episodes.size(), 3u);  // 40 + 40 + 20 steps
  EXPECT_EQ(log.episodes[2].steps, 20);
  EXPECT_EQ(log.transitions(), 97);

  // Replayed with the true parameters, the twin retraces the log (to the
  // log's float precision); with the nominal ones it does not.
  WorkerPool pool(1);
  const std::vector<const ArmLogEpisode*> episodes = episodes_of(log);
  ArmTrajectoryFit fit(*nominal, episodes, pool);
  const auto& parameters = nominal->parameters();
  const std::vector<IndexedValue> at_truth = {
      {parameters.index_of("physics.joint_damping_scale"), 1.3},
      {parameters.index_of("control_latency_steps"), 1}};
  std::vector<double> residuals(fit.num_residuals());
  fit.residuals(at_truth, residuals);
  double worst = 0;
  for (double r : residuals) worst = std::max(worst, std::abs(r));
  EXPECT_LT(worst, 1e-5);
  fit.residuals({}, residuals);
  worst = 0;
  for (double r : residuals) worst = std::max(worst, std::abs(r));
  EXPECT_GT(worst, 1e-2);
}

TEST_F(ArmTwinTest, JacobianOfParallelReplaysEqualsTheSerialOne) {
  const auto nominal = arm();
  write_excitation_log(*nominal, 80, dir_ / "log.csv");
  const ArmTrajectoryLog log = read_arm_trajectory_log(dir_ / "log.csv", *nominal);
  const std::vector<const ArmLogEpisode*> episodes = episodes_of(log);
  const auto& parameters = nominal->parameters();
  const std::vector<IndexedValue> values = {
      {parameters.index_of("physics.link_mass_scale"), 1.1},
      {parameters.index_of("physics.actuator_gain_scale"), 0.9}};
  const std::vector<size_t> fitted = {0, 1};
  std::vector<std::vector<double>> jacobians;
  for (int threads : {1, 2}) {
    WorkerPool pool(threads);
    ArmTrajectoryFit fit(*nominal, episodes, pool);
    std::vector<double> residuals(fit.num_residuals()), jacobian(fit.num_residuals() * 2);
    fit.jacobian(values, fitted, residuals, jacobian);
    jacobians.push_back(jacobian);
  }
  EXPECT_EQ(jacobians[0], jacobians[1]);  // bit for bit
  double largest = 0;
  for (double d : jacobians[0]) largest = std::max(largest, std::abs(d));
  EXPECT_GT(largest, 1e-3);  // the parameters move the trajectories
}

TEST_F(ArmTwinTest, AHorizonPutsReplaysBackOnTheLog) {
  const auto nominal = arm();
  const auto truth =
      truth_of(*nominal, {{"physics.joint_damping_scale", 1.5}, {"control_latency_steps", 1}});
  write_excitation_log(*truth, 80, dir_ / "log.csv");
  const ArmTrajectoryLog log = read_arm_trajectory_log(dir_ / "log.csv", *nominal);
  const std::vector<const ArmLogEpisode*> episodes = episodes_of(log);
  const auto& parameters = nominal->parameters();
  const std::vector<IndexedValue> latency = {{parameters.index_of("control_latency_steps"), 1}};
  WorkerPool pool(1);
  const auto rms = [&](int horizon, std::span<const IndexedValue> values) {
    ArmTrajectoryFit fit(*nominal, episodes, pool, horizon);
    std::vector<double> r(fit.num_residuals());
    fit.residuals(values, r);
    double squares = 0;
    for (double x : r) squares += x * x;
    return std::sqrt(squares / static_cast<double>(r.size()));
  };
  // With the true parameters the segments retrace the log: the resets keep
  // the servo targets and the pending actions of the latency.
  std::vector<IndexedValue> at_truth = latency;
  at_truth.push_back({parameters.index_of("physics.joint_damping_scale"), 1.5});
  EXPECT_LT(rms(5, at_truth), 1e-6);
  // A wrong latency still shows between resets, and a wrong damping too.
  std::vector<IndexedValue> no_latency = at_truth;
  no_latency[0].value = 0;
  EXPECT_GT(rms(5, no_latency), 1e-3);
  EXPECT_GT(rms(5, latency), 1e-3);
  EXPECT_NE(rms(5, latency), rms(0, latency));  // the resets happen
}

TEST_F(ArmTwinTest, IdentifiesAHiddenTruthAndItsLatency) {
  const auto nominal = arm();
  const auto truth = truth_of(*nominal, {{"physics.link_mass_scale", 1.2},
                                         {"physics.joint_damping_scale", 0.8},
                                         {"physics.actuator_gain_scale", 1.1},
                                         {"control_latency_steps", 2}});
  write_excitation_log(*truth, 160, dir_ / "excitation.csv");
  const ConfigNode calibrate = parse_config_text(
      "parameters: [physics.link_mass_scale, physics.joint_damping_scale, "
      "physics.actuator_gain_scale, control_latency_steps, observation_noise]\n",
      "twin.yaml");
  const ArmCalibrationSpec spec = read_arm_calibration_spec(calibrate, *nominal);
  WorkerPool pool(2);
  const std::vector<ArmTrajectoryLog> logs =
      read_arm_logs(dir_.string(), {"excitation.csv"}, *nominal);
  const ArmCalibration result = calibrate_arm(*nominal, logs, spec, TwinSpec{}, pool);
  ASSERT_EQ(result.values.size(), 5u);
  const std::vector<double> expected = {1.2, 0.8, 1.1, 2};
  for (size_t j = 0; j < expected.size(); ++j) {
    const CalibratedValue& value = result.values[j];
    EXPECT_TRUE(value.estimate.identified) << value.parameter;
    EXPECT_NEAR(value.estimate.value, expected[j], 0.01 * expected[j]) << value.parameter;
  }
  EXPECT_EQ(result.values[4].parameter, "observation_noise");
  EXPECT_LT(result.values[4].estimate.value, 1e-5);  // the log has no sensor noise
  EXPECT_EQ(result.params_patch["physics"]["link_mass_scale"].as<double>(),
            result.values[0].estimate.value);
  EXPECT_EQ(result.params_patch["control_latency_steps"].as<int>(), 2);
}

TEST_F(ArmTwinTest, FlagsWhatTheLogsCannotDetermine) {
  // The reach scene has no box: its mass moves nothing the log shows.
  const auto nominal = arm();
  write_excitation_log(*truth_of(*nominal, {{"physics.link_mass_scale", 1.2}}), 80,
                       dir_ / "excitation.csv");
  const ConfigNode calibrate = parse_config_text(
      "parameters: [physics.link_mass_scale, physics.box_mass_scale]\n", "twin.yaml");
  const ArmCalibrationSpec spec = read_arm_calibration_spec(calibrate, *nominal);
  WorkerPool pool(2);
  TwinSpec twin;
  twin.randomize_from_fit = {"physics.box_mass_scale"};
  const ArmCalibration result = calibrate_arm(
      *nominal, read_arm_logs(dir_.string(), {"excitation.csv"}, *nominal), spec, twin, pool);
  EXPECT_TRUE(result.values[0].estimate.identified);
  EXPECT_NEAR(result.values[0].estimate.value, 1.2, 0.012);
  EXPECT_FALSE(result.values[1].estimate.identified);
  EXPECT_EQ(result.values[1].estimate.value, 1.0);  // held at the twin's guess
  EXPECT_FALSE(result.params_patch["physics"]["box_mass_scale"]);
  // What the logs leave uncertain is randomized over the bounds of its fit.
  ASSERT_TRUE(result.randomize["physics.box_mass_scale"]);
  EXPECT_EQ(result.randomize["physics.box_mass_scale"][0].as<double>(), 0.2);
  EXPECT_EQ(result.randomize["physics.box_mass_scale"][1].as<double>(), 5.0);
  int noted = 0;
  for (const std::string& note : result.notes)
    noted += note.starts_with("physics.box_mass_scale: no effect") ||
             note.starts_with("physics.box_mass_scale is drawn over [0.2, 5]");
  EXPECT_EQ(noted, 2);
}

TEST_F(ArmTwinTest, MalformedLogsGetLocatedErrors) {
  const auto nominal = arm();
  write_excitation_log(*nominal, 50, dir_ / "good.csv");
  const std::vector<std::string> good = read_lines(dir_ / "good.csv");
  const auto edited = [&](const std::string& name, auto edit) {
    std::vector<std::string> lines = good;
    edit(lines);
    write_lines(dir_ / name, lines);
    return read_error(dir_ / name, *nominal);
  };
  // A joint missing from the header.
  std::string error = edited("missing.csv", [](std::vector<std::string>& lines) {
    for (std::string& line : lines) line = line.substr(0, line.rfind(','));
  });
  EXPECT_NE(error.find("missing.csv"), std::string::npos) << error;
  EXPECT_NE(error.find("ctrl_finger_right"), std::string::npos) << error;
  // Time going backwards within an episode.
  error = edited("backwards.csv", [](std::vector<std::string>& lines) {
    lines[5].replace(lines[5].find(",0.16,"), 6, ",0.08,");
  });
  EXPECT_NE(error.find("backwards.csv: row 6, column 'time_s'"), std::string::npos) << error;
  // Not a number.
  error = edited("nan.csv", [](std::vector<std::string>& lines) {
    const size_t comma = lines[3].rfind(',');
    lines[3] = lines[3].substr(0, comma) + ",nan";
  });
  EXPECT_NE(error.find("nan.csv: row 4, column 'ctrl_finger_right': 'nan' is not a number"),
            std::string::npos)
      << error;
  // A step out of sequence.
  error = edited("skipped.csv",
                 [](std::vector<std::string>& lines) { lines.erase(lines.begin() + 4); });
  EXPECT_NE(error.find("skipped.csv: row 5, column 'step'"), std::string::npos) << error;
  // A log of another robot model: a joint this arm does not have.
  error = edited("other.csv", [](std::vector<std::string>& lines) {
    lines[0] += ",qpos_elbow_yaw";
    for (size_t i = 1; i < lines.size(); ++i) lines[i] += ",0";
  });
  EXPECT_NE(error.find("column 'qpos_elbow_yaw': not a column of the twin's robot"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("another robot model"), std::string::npos) << error;
}

TEST_F(ArmTwinTest, CalibrationSpecErrorsNameTheKey) {
  const auto nominal = arm();
  const auto error_of = [&](const std::string& yaml) {
    try {
      read_arm_calibration_spec(parse_config_text(yaml, "twin.yaml"), *nominal);
    } catch (const ConfigError& error) {
      return std::string(error.what());
    }
    return std::string();
  };
  std::string error = error_of("parameters: [physics.link_mass_scal]\n");
  EXPECT_NE(error.find("twin.yaml:1:14"), std::string::npos) << error;
  EXPECT_NE(error.find("did you mean 'physics.link_mass_scale'"), std::string::npos) << error;
  error = error_of("parameters: [episode_steps]\n");
  EXPECT_NE(error.find("not a real-valued scalar parameter"), std::string::npos) << error;
  error = error_of(
      "parameters: [physics.link_mass_scale]\nbounds: {physics.link_mass_scale: [2, 1]}\n");
  EXPECT_NE(error.find("twin.yaml:2:"), std::string::npos) << error;
  EXPECT_NE(error.find("low < high"), std::string::npos) << error;
  error =
      error_of("parameters: [control_latency_steps]\nbounds: {control_latency_steps: [0, 3]}\n");
  EXPECT_NE(error.find("latency and noise take no bounds"), std::string::npos) << error;
}

}  // namespace
}  // namespace twinrl

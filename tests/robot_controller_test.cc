// End-to-end tests of examples/robot_controller: the shipped arm_reach policy,
// run at the control rate through both backends, reaches its targets.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "config/config_node.h"
#include "tests/command_line.h"
#include "tests/temp_dir_test.h"

namespace {

using twinrl::test_support::Outcome;
using twinrl::test_support::source_path;

Outcome controller(const std::string& arguments) {
  return twinrl::test_support::run_program(
      ROBOT_CONTROLLER_BINARY,
      "--config " + source_path("configs/arm_reach_ppo.yaml") + " " + arguments);
}

// The number printed after "<name>: ", or NaN if the report has no such line.
double reported(const std::string& output, const std::string& name) {
  const size_t at = output.find("\n" + name + ": ");
  if (at == std::string::npos) return std::nan("");
  return std::stod(output.substr(at + name.size() + 3));
}

TEST(RobotControllerTest, TheShippedPolicyReachesTargetsThroughBothBackends) {
  const std::string policy = source_path("examples/robot_controller/policy/policy.pt");
  const Outcome torchscript =
      controller("--torchscript " + policy + " --episodes 20 --speedup 0 --seed 3");
  const Outcome c_header = controller("--c-header --episodes 20 --speedup 0 --seed 3");
  ASSERT_EQ(torchscript.exit_code, 0) << torchscript.output;
  ASSERT_EQ(c_header.exit_code, 0) << c_header.output;
  const double torchscript_success = reported(torchscript.output, "success");
  const double c_success = reported(c_header.output, "success");
  EXPECT_GE(torchscript_success, 0.9) << torchscript.output;
  EXPECT_GE(c_success, 0.9) << c_header.output;
  // The same robot seeds and the same policy to 1e-5: the same outcomes, give or take one.
  EXPECT_LE(std::fabs(torchscript_success - c_success), 0.05);
  EXPECT_NE(c_header.output.find("policy latency: median"), std::string::npos) << c_header.output;
}

TEST(RobotControllerTest, RealTimeRunsReportMissedDeadlines) {
  const Outcome result = controller("--c-header --episodes 1 --speedup 8");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("deadline misses: "), std::string::npos) << result.output;
  EXPECT_GE(reported(result.output, "success"), 0.0) << result.output;
}

TEST(RobotControllerTest, APolicyOfAnotherRobotIsRefusedClearly) {
  const Outcome push = twinrl::test_support::run_program(
      ROBOT_CONTROLLER_BINARY, "--config " + source_path("configs/arm_push_ppo.yaml") +
                                   " --c-header --episodes 1 --speedup 0");
  EXPECT_EQ(push.exit_code, 1) << push.output;
  EXPECT_NE(push.output.find("was it exported from a run of this env?"), std::string::npos)
      << push.output;

  const Outcome cartpole = twinrl::test_support::run_program(
      ROBOT_CONTROLLER_BINARY,
      "--config " + source_path("configs/cartpole_ppo.yaml") + " --c-header --episodes 1");
  EXPECT_EQ(cartpole.exit_code, 1) << cartpole.output;
  EXPECT_NE(cartpole.output.find("continuous actions"), std::string::npos) << cartpole.output;

  const Outcome neither = controller("--episodes 1");
  EXPECT_EQ(neither.exit_code, 2) << neither.output;
}

std::string file_text(const std::filesystem::path& path) {
  std::ifstream file(path);
  return {std::istreambuf_iterator<char>(file), {}};
}

// The CSV's rows (header first), each split at commas.
std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    rows.emplace_back();
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) rows.back().push_back(cell);
  }
  return rows;
}

class RobotControllerLogTest : public twinrl::test_support::TempDirTest {};

TEST_F(RobotControllerLogTest, ExcitationRunsLogTheTrajectoryOfTheRealRobot) {
  const auto run = [&](const std::string& name, const std::string& options) {
    const Outcome result =
        controller(options + " --episodes 2 --speedup 0 --seed 4 --log " + (dir_ / name).string());
    EXPECT_EQ(result.exit_code, 0) << result.output;
    return file_text(dir_ / name);
  };
  const std::string nominal = run("nominal.csv", "--excitation steps");
  EXPECT_EQ(run("again.csv", "--excitation steps"), nominal);  // same seed, same trajectory
  std::ofstream(dir_ / "truth.yaml") << "physics.joint_damping_scale: 3\n";
  const std::string damped =
      run("damped.csv", "--excitation steps --robot-params " + (dir_ / "truth.yaml").string());

  const auto rows = csv_rows(nominal), damped_rows = csv_rows(damped);
  ASSERT_EQ(rows.size(), 1u + 2 * 50);  // the header, 2 episodes of 50 steps
  ASSERT_EQ(damped_rows.size(), rows.size());
  const std::vector<std::string>& header = rows[0];
  EXPECT_EQ(std::vector<std::string>(header.begin(), header.begin() + 4),
            (std::vector<std::string>{"episode", "step", "time_s", "action_0"}));
  const auto column = [&](const std::string& name) {
    return std::find(header.begin(), header.end(), name) - header.begin();
  };
  const auto shoulder = column("qpos_shoulder_yaw");
  ASSERT_LT(shoulder, std::ssize(header));
  ASSERT_LT(column("qvel_shoulder_yaw"), std::ssize(header));
  EXPECT_EQ(rows[75][0], "1");                           // episode
  EXPECT_EQ(rows[75][1], "24");                          // step
  EXPECT_NEAR(std::stod(rows[75][2]), 24 * 0.04, 1e-9);  // 40 ms control periods
  bool same_actions = true, moved_differently = false;
  for (size_t r = 1; r < rows.size(); ++r) {
    ASSERT_EQ(rows[r].size(), header.size()) << "row " << r;
    for (const std::string& cell : rows[r]) EXPECT_TRUE(std::isfinite(std::stod(cell))) << cell;
    same_actions = same_actions && rows[r][3] == damped_rows[r][3];
    moved_differently = moved_differently || rows[r][shoulder] != damped_rows[r][shoulder];
  }
  EXPECT_TRUE(same_actions) << "the excitation does not depend on the robot";
  EXPECT_TRUE(moved_differently) << "the robot's parameters changed nothing";
  EXPECT_EQ(csv_rows(run("chirp.csv", "--excitation chirp")).size(), rows.size());
}

// The controller's log is what `twinrl twin calibrate` reads: the "real"
// arm's damping and latency come back from two logged excitation episodes.
TEST_F(RobotControllerLogTest, TheTwinIdentifiesTheRealRobotFromTheControllersLog) {
  const std::string twin = source_path("configs/twins/arm_reach.yaml");
  std::ofstream(dir_ / "truth.yaml")
      << "physics.joint_damping_scale: 1.5\ncontrol_latency_steps: 1\n";
  std::filesystem::create_directories(dir_ / "logs");
  Outcome result = twinrl::test_support::run_program(
      ROBOT_CONTROLLER_BINARY,
      "--config " + twin + " --excitation steps --episodes 2 --speedup 0 " + "--robot-params " +
          (dir_ / "truth.yaml").string() + " --log " + (dir_ / "logs" / "excitation.csv").string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  result = twinrl::test_support::run_program(
      TWINRL_BINARY, "twin calibrate " + twin +
                         " --set twin.calibrate.parameters=[physics.joint_damping_scale,"
                         "control_latency_steps] --logs " +
                         (dir_ / "logs").string() + " --out " + (dir_ / "arm.yaml").string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const twinrl::ConfigNode calibrated = twinrl::load_config_file((dir_ / "arm.yaml").string());
  EXPECT_NEAR(calibrated.yaml()["env"]["params"]["physics"]["joint_damping_scale"].as<double>(),
              1.5, 0.015);
  EXPECT_EQ(calibrated.yaml()["env"]["params"]["control_latency_steps"].as<int>(), 1);
}

// The loop of examples/robot_controller/twin_loop.sh at reduced size: the
// real arm logged, the twin calibrated from the log, trained, exported and
// run on the real arm by the controller.
TEST_F(RobotControllerLogTest, TheTwinLoopRunsEndToEnd) {
  const Outcome result = twinrl::test_support::run_program(
      std::string("TWINRL=") + TWINRL_BINARY + " ROBOT_CONTROLLER=" + ROBOT_CONTROLLER_BINARY +
          " bash " + source_path("examples/robot_controller/twin_loop.sh"),
      "--out " + (dir_ / "loop").string() + " --steps 2048 --episodes 2 --excitation-episodes 3");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  for (const char* step :
       {"== 5. the exported policy on the real arm", "calibrated 5 parameters", "export/policy.pt"})
    EXPECT_NE(result.output.find(step), std::string::npos) << step << "\n" << result.output;
  const twinrl::ConfigNode calibrated =
      twinrl::load_config_file((dir_ / "loop" / "arm_calibrated.yaml").string());
  const YAML::Node physics = calibrated.yaml()["env"]["params"]["physics"];
  EXPECT_NEAR(physics["link_mass_scale"].as<double>(), 1.25, 0.04);  // real_arm.yaml's
  EXPECT_NEAR(physics["actuator_gain_scale"].as<double>(), 0.8, 0.025);
  EXPECT_TRUE(calibrated.yaml()["env"]["randomize"]["physics.link_mass_scale"]);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "loop" / "export" / "policy.pt"));
}

TEST_F(RobotControllerLogTest, BadLogsAndRobotParametersAreClearErrors) {
  const std::filesystem::path truth = dir_ / "truth.yaml";
  std::ofstream(truth) << "physics.joint_damping: 3\n";
  const Outcome misspelled =
      controller("--excitation chirp --episodes 1 --speedup 0 --robot-params " + truth.string());
  EXPECT_EQ(misspelled.exit_code, 2) << misspelled.output;
  EXPECT_NE(misspelled.output.find(truth.string() + ":1:"), std::string::npos) << misspelled.output;
  EXPECT_NE(misspelled.output.find("physics.joint_damping_scale"), std::string::npos)
      << misspelled.output;

  const Outcome unwritable =
      controller("--excitation chirp --episodes 1 --speedup 0 --log /nonexistent/dir/log.csv");
  EXPECT_EQ(unwritable.exit_code, 1) << unwritable.output;
  EXPECT_NE(unwritable.output.find("cannot write the log /nonexistent/dir/log.csv"),
            std::string::npos)
      << unwritable.output;
}

}  // namespace

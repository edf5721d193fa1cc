// End-to-end tests of examples/robot_controller: the shipped arm_reach policy,
// run at the control rate through both backends, reaches its targets.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "tests/command_line.h"

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

}  // namespace

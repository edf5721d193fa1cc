#pragma once
// A fixed-rate control loop: every control period it reads the robot's
// observation, asks the policy for an action and sends it to the actuators.
// Here the "robot" is a twinrl env (the MuJoCo arm) standing in for hardware.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/env.h"

namespace robot_controller {

// observation -> action, as an exported policy computes it.
using PolicyFunction = std::function<void(const float* observation, float* action)>;

// Called at every control step with the robot's state before the step, what
// its sensors measured and the action about to be sent (the trajectory log);
// not timed.
using StepObserver = std::function<void(const twinrl::Env& robot, int episode, int step,
                                        const float* observation, const float* action)>;

struct ControlLoopOptions {
  int episodes = 10;
  // Wall-clock rate relative to the control period: 1 runs in real time, 2
  // twice as fast; 0 runs unthrottled (for tests and latency figures).
  double speedup = 1.0;
  uint64_t seed = 1;
  StepObserver observe_step = nullptr;
};

struct ControlReport {
  std::vector<double> policy_ns;  // per control step: observation to action
  std::vector<double> robot_ns;   // per control step: the simulated robot's step
  int64_t deadline_misses = 0;    // steps whose work overran the control period
  std::vector<std::string> kpi_names;
  std::vector<double> kpi_means;  // over episodes, in kpi_names order
  double mean_return = 0;
};

// Throws std::invalid_argument unless `spec` is one robot with continuous
// actions and a fixed episode length: what this controller can drive.
void check_robot(const twinrl::EnvSpec& spec);

ControlReport run_control_loop(const twinrl::EnvModel& robot, const PolicyFunction& policy,
                               const ControlLoopOptions& options);

}  // namespace robot_controller

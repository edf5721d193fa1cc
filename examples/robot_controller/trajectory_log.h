#pragma once
// The controller's trajectory log (`--log FILE`): what a real robot's
// controller would record for system identification. CSV with a header row,
// one row per control step: the state the step starts from and the action
// commanded for it (held until the next step), with the actuators' commands;
// README.md, "Trajectory logs".
#include <fstream>
#include <string>

#include "core/env.h"

namespace robot_controller {

class TrajectoryLog {
 public:
  // Throws std::runtime_error naming `path` if it cannot be written, or
  // std::invalid_argument if `robot` is not the MuJoCo arm.
  TrajectoryLog(const std::string& path, const twinrl::EnvModel& robot);

  // Records `env` (an env of the robot) at `step` of `episode`, about to be
  // sent `action`.
  void record(const twinrl::Env& env, int episode, int step, const float* action);
  // Flushes and checks that everything reached the file.
  void close();

 private:
  std::string path_;
  std::ofstream file_;
  double control_period_s_;
  int64_t action_size_;
};

}  // namespace robot_controller

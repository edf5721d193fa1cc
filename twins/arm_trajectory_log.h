#pragma once
// The arm's trajectory log: what a robot's controller records for system
// identification (examples/robot_controller `--log`, twins/README.md "Arm
// twins"). CSV with a header row, one row per control step: the state the step
// starts from as the sensors measure it, the action commanded for it (held
// until the next step) and the actuators' commands. Written by the controller,
// read by `twinrl twin calibrate | validate` with errors that name the file,
// row and column.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "envs/robot/arm_env.h"

namespace twinrl {

// One logged episode: `steps` rows of actions, positions, velocities and
// actuator commands (MuJoCo's order: all nq, nv and nu numbers per row).
struct ArmLogEpisode {
  int64_t episode = 0;     // as logged
  int first_file_row = 0;  // the file row of its first step, for messages
  int steps = 0;
  std::vector<float> actions = {};
  std::vector<double> qpos = {}, qvel = {}, ctrl = {};
};

struct ArmTrajectoryLog {
  std::string path;
  std::vector<ArmLogEpisode> episodes = {};
  int64_t transitions() const;  // rows followed by a row of the same episode
};

// The log's columns for `model`: episode, step, time_s, action_<i>,
// qpos_<joint> (qpos_<joint>[k] for a free or ball joint), qvel_<joint>,
// ctrl_<actuator>.
std::vector<std::string> arm_log_columns(const robot::ArmModel& model);

// Reads a log of `model`'s robot. A CsvError (file, row, column) for a column
// the robot lacks or a missing one (a log of another robot model), a step out
// of sequence, time that does not advance by the control period, a number that
// is not finite, or an episode of one row.
ArmTrajectoryLog read_arm_trajectory_log(const std::filesystem::path& path,
                                         const robot::ArmModel& model);

class ArmTrajectoryLogWriter {
 public:
  // Throws std::runtime_error naming `path` if it cannot be written.
  ArmTrajectoryLogWriter(const std::string& path, const robot::ArmModel& model);

  // Records `arm` at `step` of `episode`, about to be sent `action`. The arm
  // joints' positions and velocities are the measured ones of `observation`
  // (with the robot's sensor noise); the other joints' are the true state.
  void record(const robot::ArmEnv& arm, int64_t episode, int step, const float* observation,
              const float* action);
  // Flushes and checks that everything reached the file.
  void close();

 private:
  std::string path_;
  std::ofstream file_;
  double control_period_s_;
  int64_t action_size_;
  // For each qpos (qvel) address, the observation index of its measurement or -1.
  std::vector<int> measured_qpos_, measured_qvel_;
};

}  // namespace twinrl

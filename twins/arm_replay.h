#pragma once
// Replays a logged episode through an arm twin: from the episode's first
// logged state (positions, velocities, actuator commands), the logged actions
// step the twin's physics with given parameter values, and the twin's arm
// joint positions and velocities after every step are what identification and
// fidelity compare with the log. Open loop: the twin never sees the log again
// after the first row (unless a horizon puts it back on the log now and then),
// so its errors are a simulation's, as a policy sees them.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "envs/robot/arm_env.h"
#include "twins/arm_trajectory_log.h"

namespace twinrl {

// A parameter of the twin by index (EnvModel::parameters()) and a value.
struct IndexedValue {
  size_t index = 0;
  double value = 0;
};

// Compared numbers per transition: the arm joints' positions, then their
// velocities times the control period (both in rad, or m for slide joints),
// so that one residual scale serves both.
int64_t arm_replay_width(const robot::ArmModel& model);
// The logged counterpart of a replay: for steps 1..steps-1 of `episode`,
// arm_replay_width numbers each.
void logged_arm_signals(const robot::ArmModel& model, const ArmLogEpisode& episode,
                        std::span<double> out);

// One env of the twin, reused for every replay (a replay allocates nothing).
// Not thread-safe: one per worker.
class ArmReplayer {
 public:
  // `model` has no randomization (identification sets every parameter it fits).
  explicit ArmReplayer(const robot::ArmModel& model);

  // Replays `episode` with `values` set (the rest as the model's, whatever
  // earlier replays set) into `out`, (steps - 1) x arm_replay_width numbers.
  // With `horizon` > 0 the twin's joints and box are put back on the logged
  // state every `horizon` steps (after the prediction of that step is
  // written), its actuator commands and pending actions left as its own
  // processing of the logged actions made them: multiple shooting, for logs
  // with contacts, whose replays drift apart however right the parameters.
  // An episode that goes unstable continues from the twin's home pose, as
  // the env does, and so shows as a large error rather than a failure.
  void replay(const ArmLogEpisode& episode, std::span<const IndexedValue> values,
              std::span<double> out, int horizon = 0);

 private:
  const robot::ArmModel& model_;
  std::unique_ptr<Env> env_;
  robot::ArmEnv* arm_;
  std::vector<float> observation_;
  float reward_ = 0;
  std::vector<size_t> changed_;  // parameters the last replay set
};

}  // namespace twinrl

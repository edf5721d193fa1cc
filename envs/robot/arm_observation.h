#pragma once
// The Arm env's observation: its layout, the names of its numbers (with
// units) and how it is written from the simulation state. For n arm joints:
//   [0, n)        joint positions (rad; m for slide joints)
//   [n, 2n)       joint velocities (rad/s; m/s)
//   [2n, 3n)      actuator commands: position targets (rad) or torques (N m)
//   3n            gripper opening: the sum of the finger joint positions (m)
//   3n+1..3n+3    grip site position (m, world frame; table top z = 0)
//   3n+4..3n+6    target position (m)
//   3n+7..3n+9    target minus grip (m)
// and for push and pick_place:
//   3n+10..3n+12  box position (m)
//   3n+13..3n+16  box orientation quaternion (w, x, y, z)
//   3n+17..3n+19  box linear velocity (m/s, world frame)
//   3n+20..3n+22  box angular velocity (rad/s, box frame)
//   3n+23..3n+25  box minus grip (m)
//   3n+26..3n+28  target minus box (m)
// Observation noise goes on the measured numbers (joints, gripper, grip, box);
// the relative vectors are computed from the noisy measurements, and the
// commands and the target, which the controller knows exactly, stay exact.
#include <mujoco/mujoco.h>

#include <array>
#include <string>
#include <vector>

#include "core/rng.h"
#include "envs/robot/arm_layout.h"
#include "envs/robot/arm_task.h"

namespace twinrl::robot {

class ArmObservation {
 public:
  ArmObservation(const ArmLayout& layout, ArmTask task, bool torque);

  int size() const { return size_; }
  std::vector<std::string> names() const;
  // Index of the first number of each part.
  int joint_positions() const { return 0; }
  int joint_velocities() const { return n_; }
  int commands() const { return 2 * n_; }
  int gripper_opening() const { return 3 * n_; }
  int grip() const { return 3 * n_ + 1; }
  int target() const { return 3 * n_ + 4; }
  int target_minus_grip() const { return 3 * n_ + 7; }
  int box() const { return 3 * n_ + 10; }
  int box_orientation() const { return 3 * n_ + 13; }
  int box_velocity() const { return 3 * n_ + 17; }
  int box_angular_velocity() const { return 3 * n_ + 20; }
  int box_minus_grip() const { return 3 * n_ + 23; }
  int target_minus_box() const { return 3 * n_ + 26; }

  // Writes the observation of `data`; adds Gaussian noise of standard
  // deviation `noise` drawn from `rng` when it is positive.
  void write(const mjData& data, const std::array<double, 3>& target_position, double noise,
             Rng& rng, float* out) const;

 private:
  ArmLayout layout_;
  bool with_box_;
  bool torque_;
  int n_;
  int size_;
};

}  // namespace twinrl::robot

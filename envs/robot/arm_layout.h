#pragma once
// Where the env finds the arm's parts in an mjModel, by the naming rules that
// a user's own MJCF (the twin of their robot) follows too:
//   - every actuator on a hinge or slide joint whose name does not start with
//     "finger" drives an arm joint, one action each, in actuator order;
//   - actuators on joints named "finger*" drive the gripper, all from one action;
//   - the site "grip" is the point between the fingertips that tasks measure;
//   - for push and pick_place, a body "box" with a free joint;
//   - optional: a mocap body "target" (moved onto the target for display) and
//     a keyframe "home" (the start pose; else the model's qpos0).
#include <mujoco/mujoco.h>

#include <string>
#include <vector>

namespace twinrl::robot {

// An actuated joint: where its actuator, position and velocity live.
struct ActuatedJoint {
  std::string name;    // the joint's
  bool slide = false;  // a slide joint (m) rather than a hinge (rad)
  int actuator = -1;
  int qpos = -1;  // address in qpos
  int dof = -1;   // address in qvel
  // The commands position control may ask for: the actuator's control range,
  // else the joint's range, else unbounded.
  double low = 0;
  double high = 0;
  double force_limit = 0;  // the actuator's force range bound; 0 if it has none
};

struct ArmLayout {
  // Arrays sized by the number of arm joints are fixed-size in the hot path.
  static constexpr int kMaxArmJoints = 16;

  std::vector<ActuatedJoint> arm;
  std::vector<ActuatedJoint> fingers;
  int grip_site = -1;
  int target_mocap = -1;  // index into mjData::mocap_pos, or -1
  int home_key = -1;      // keyframe id, or -1
  int box_body = -1;      // -1 if the model has no box
  int box_qpos = -1;      // its free joint: position then quaternion in qpos
  int box_dof = -1;       // linear then angular velocity in qvel

  // Finds the parts; throws std::invalid_argument saying what is missing.
  // `needs_box`: the task moves a box. `torque`: arm actuators are driven by
  // torque commands, so each needs a force range to scale actions by.
  static ArmLayout find(const mjModel& model, bool needs_box, bool torque);

  int num_arm_joints() const { return static_cast<int>(arm.size()); }
};

}  // namespace twinrl::robot

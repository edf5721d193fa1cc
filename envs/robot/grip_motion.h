#pragma once
// Moving the grip site in Cartesian space: the arm joint changes that carry
// it by a displacement while turning the gripper towards pointing down, by
// damped least squares on the site's Jacobian (Wampler 1986; Nakamura and
// Hanafusa 1986). The scripted baseline steers with it, and so does the
// env's `cartesian` control.
#include <mujoco/mujoco.h>

#include <array>
#include <vector>

#include "envs/robot/arm_layout.h"

namespace twinrl::robot {

// One change per arm joint, in layout order (rad, or m for slide joints).
using JointChanges = std::array<double, ArmLayout::kMaxArmJoints>;

// The changes that move the grip site of `data` by `displacement` (m, world
// frame) and turn the gripper towards pointing down (its z down, its y along
// world y with the nearer sign). `data` needs current kinematics and centres
// of mass (mj_kinematics and mj_comPos, or mj_forward). `jacobian` is
// scratch, sized to 6 x nv on the first call.
JointChanges grip_joint_changes(const mjModel& model, const mjData& data, const ArmLayout& layout,
                                const std::array<double, 3>& displacement,
                                std::vector<mjtNum>& jacobian);

}  // namespace twinrl::robot

#include "envs/robot/arm_layout.h"

#include <limits>
#include <stdexcept>
#include <string_view>

namespace twinrl::robot {
namespace {

// A position servo: force = kp * (ctrl - qpos) [- kv * qvel].
bool is_position_servo(const mjModel& model, int actuator) {
  const double kp = model.actuator_gainprm[actuator * mjNGAIN];
  return model.actuator_gaintype[actuator] == mjGAIN_FIXED &&
         model.actuator_biastype[actuator] == mjBIAS_AFFINE && kp > 0 &&
         model.actuator_biasprm[actuator * mjNBIAS + 1] == -kp;
}

ActuatedJoint actuated_joint(const mjModel& model, int actuator, int joint) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  const char* name = mj_id2name(&model, mjOBJ_JOINT, joint);
  ActuatedJoint result{.name = name ? name : "joint" + std::to_string(joint),
                       .slide = model.jnt_type[joint] == mjJNT_SLIDE,
                       .actuator = actuator,
                       .qpos = model.jnt_qposadr[joint],
                       .dof = model.jnt_dofadr[joint],
                       .low = -inf,
                       .high = inf};
  if (model.actuator_ctrllimited[actuator]) {
    result.low = model.actuator_ctrlrange[2 * actuator];
    result.high = model.actuator_ctrlrange[2 * actuator + 1];
  } else if (model.jnt_limited[joint]) {
    result.low = model.jnt_range[2 * joint];
    result.high = model.jnt_range[2 * joint + 1];
  }
  if (model.actuator_forcelimited[actuator])
    result.force_limit = model.actuator_forcerange[2 * actuator + 1];
  return result;
}

std::string actuator_name(const mjModel& model, int actuator) {
  const char* name = mj_id2name(&model, mjOBJ_ACTUATOR, actuator);
  return name ? std::string("actuator '") + name + "'" : "actuator " + std::to_string(actuator);
}

}  // namespace

ArmLayout ArmLayout::find(const mjModel& model, bool needs_box, bool torque) {
  ArmLayout layout;
  for (int actuator = 0; actuator < model.nu; ++actuator) {
    const int transmission = model.actuator_trntype[actuator];
    if (transmission != mjTRN_JOINT && transmission != mjTRN_JOINTINPARENT) continue;
    const int joint = model.actuator_trnid[2 * actuator];
    if (model.jnt_type[joint] != mjJNT_HINGE && model.jnt_type[joint] != mjJNT_SLIDE) continue;
    ActuatedJoint actuated = actuated_joint(model, actuator, joint);
    const bool finger = std::string_view(actuated.name).starts_with("finger");
    if ((finger || !torque) && !is_position_servo(model, actuator))
      throw std::invalid_argument(
          actuator_name(model, actuator) + " must be a position servo (<position kp=...>): " +
          (finger ? "the gripper is position-controlled" : "control is 'position'"));
    if (!finger && torque && actuated.force_limit <= 0)
      throw std::invalid_argument(actuator_name(model, actuator) +
                                  " needs a forcerange: torque control scales actions to it");
    (finger ? layout.fingers : layout.arm).push_back(std::move(actuated));
  }
  if (layout.arm.empty())
    throw std::invalid_argument("no arm actuator: expected actuators on hinge or slide joints");
  if (layout.num_arm_joints() > kMaxArmJoints)
    throw std::invalid_argument("more than " + std::to_string(kMaxArmJoints) +
                                " arm actuators are not supported");
  if (layout.fingers.empty())
    throw std::invalid_argument("no gripper: expected actuators on joints named finger*");

  layout.grip_site = mj_name2id(&model, mjOBJ_SITE, "grip");
  if (layout.grip_site < 0)
    throw std::invalid_argument("no site named 'grip' (the point between the fingertips)");
  if (const int target = mj_name2id(&model, mjOBJ_BODY, "target"); target >= 0)
    layout.target_mocap = model.body_mocapid[target];
  layout.home_key = mj_name2id(&model, mjOBJ_KEY, "home");

  layout.box_body = mj_name2id(&model, mjOBJ_BODY, "box");
  if (layout.box_body >= 0) {
    const int joint = model.body_jntadr[layout.box_body];
    if (model.body_jntnum[layout.box_body] != 1 || model.jnt_type[joint] != mjJNT_FREE)
      throw std::invalid_argument("body 'box' must have exactly one joint, a free joint");
    layout.box_qpos = model.jnt_qposadr[joint];
    layout.box_dof = model.jnt_dofadr[joint];
  } else if (needs_box) {
    throw std::invalid_argument("no body named 'box': the task moves a box");
  }
  return layout;
}

}  // namespace twinrl::robot

#include "envs/robot/arm_observation.h"

#include "core/samplers.h"

namespace twinrl::robot {
namespace {

constexpr const char* kAxes[] = {"x", "y", "z"};

void add_vector_names(std::vector<std::string>& names, const std::string& prefix,
                      const std::string& unit) {
  for (const char* axis : kAxes) names.push_back(prefix + "_" + axis + "_" + unit);
}

void add_noise(float* first, int count, double noise, Rng& rng) {
  for (int i = 0; i < count; ++i) first[i] += static_cast<float>(noise * standard_normal(rng));
}

void write_difference(const float* to, const float* from, float* out) {
  for (int axis = 0; axis < 3; ++axis) out[axis] = to[axis] - from[axis];
}

}  // namespace

ArmObservation::ArmObservation(const ArmLayout& layout, ArmTask task, bool torque)
    : layout_(layout),
      with_box_(task != ArmTask::kReach),
      torque_(torque),
      n_(layout.num_arm_joints()),
      size_(3 * n_ + (with_box_ ? 29 : 10)) {}

std::vector<std::string> ArmObservation::names() const {
  std::vector<std::string> names;
  for (const ActuatedJoint& joint : layout_.arm)
    names.push_back(joint.name + (joint.slide ? "_position_m" : "_position_rad"));
  for (const ActuatedJoint& joint : layout_.arm)
    names.push_back(joint.name + (joint.slide ? "_velocity_m_per_s" : "_velocity_rad_per_s"));
  for (const ActuatedJoint& joint : layout_.arm) {
    if (torque_)
      names.push_back(joint.name + (joint.slide ? "_force_command_n" : "_torque_command_n_m"));
    else
      names.push_back(joint.name + (joint.slide ? "_target_m" : "_target_rad"));
  }
  names.push_back("gripper_opening_m");
  add_vector_names(names, "grip", "m");
  add_vector_names(names, "target", "m");
  add_vector_names(names, "target_minus_grip", "m");
  if (with_box_) {
    add_vector_names(names, "box", "m");
    for (const char* part : {"w", "x", "y", "z"}) names.push_back(std::string("box_quat_") + part);
    add_vector_names(names, "box_velocity", "m_per_s");
    add_vector_names(names, "box_angular_velocity", "rad_per_s");
    add_vector_names(names, "box_minus_grip", "m");
    add_vector_names(names, "target_minus_box", "m");
  }
  return names;
}

void ArmObservation::write(const mjData& data, const std::array<double, 3>& target_position,
                           double noise, Rng& rng, float* out) const {
  for (int i = 0; i < n_; ++i) {
    const ActuatedJoint& joint = layout_.arm[i];
    out[joint_positions() + i] = static_cast<float>(data.qpos[joint.qpos]);
    out[joint_velocities() + i] = static_cast<float>(data.qvel[joint.dof]);
    out[commands() + i] = static_cast<float>(data.ctrl[joint.actuator]);
  }
  double opening = 0;
  for (const ActuatedJoint& finger : layout_.fingers) opening += data.qpos[finger.qpos];
  out[gripper_opening()] = static_cast<float>(opening);
  const mjtNum* grip_position = data.site_xpos + 3 * layout_.grip_site;
  for (int axis = 0; axis < 3; ++axis) {
    out[grip() + axis] = static_cast<float>(grip_position[axis]);
    out[target() + axis] = static_cast<float>(target_position[axis]);
  }
  if (with_box_) {
    for (int i = 0; i < 7; ++i)
      out[box() + i] = static_cast<float>(data.qpos[layout_.box_qpos + i]);
    for (int i = 0; i < 6; ++i)
      out[box_velocity() + i] = static_cast<float>(data.qvel[layout_.box_dof + i]);
  }
  if (noise > 0) {
    add_noise(out + joint_positions(), 2 * n_, noise, rng);
    add_noise(out + gripper_opening(), 4, noise, rng);
    if (with_box_) add_noise(out + box(), 13, noise, rng);
  }
  write_difference(out + target(), out + grip(), out + target_minus_grip());
  if (with_box_) {
    write_difference(out + box(), out + grip(), out + box_minus_grip());
    write_difference(out + target(), out + box(), out + target_minus_box());
  }
}

}  // namespace twinrl::robot

#include "envs/robot/arm_physics.h"

namespace twinrl::robot {
namespace {

template <class T>
std::vector<T> copy_of(const T* values, int count) {
  return std::vector<T>(values, values + count);
}

}  // namespace

PhysicsBaseline::PhysicsBaseline(const mjModel& model)
    : body_mass_(copy_of(model.body_mass, model.nbody)),
      body_inertia_(copy_of(model.body_inertia, 3 * model.nbody)),
      dof_damping_(copy_of(model.dof_damping, model.nv)),
      dof_frictionloss_(copy_of(model.dof_frictionloss, model.nv)),
      dof_armature_(copy_of(model.dof_armature, model.nv)),
      actuator_gain_(copy_of(model.actuator_gainprm, mjNGAIN * model.nu)),
      actuator_bias_(copy_of(model.actuator_biasprm, mjNBIAS * model.nu)),
      geom_friction_(copy_of(model.geom_friction, 3 * model.ngeom)) {}

void PhysicsBaseline::apply(const ArmPhysics& physics, const ArmLayout& layout, mjModel& model,
                            mjData& scratch) const {
  for (int body = 1; body < model.nbody; ++body) {  // body 0 is the world
    const double scale = body == layout.box_body ? physics.box_mass_scale : physics.link_mass_scale;
    model.body_mass[body] = scale * body_mass_[body];
    for (int axis = 0; axis < 3; ++axis)
      model.body_inertia[3 * body + axis] = scale * body_inertia_[3 * body + axis];
  }
  for (const auto* joints : {&layout.arm, &layout.fingers}) {
    for (const ActuatedJoint& joint : *joints) {
      const int dof = joint.dof;
      model.dof_damping[dof] = physics.joint_damping_scale * dof_damping_[dof];
      model.dof_frictionloss[dof] = physics.joint_friction_scale * dof_frictionloss_[dof];
      model.dof_armature[dof] = physics.joint_armature_scale * dof_armature_[dof];
      // A servo's stiffness is in its gain and, negated, in its bias.
      const int gain = joint.actuator * mjNGAIN;
      const int bias = joint.actuator * mjNBIAS;
      model.actuator_gainprm[gain] = physics.actuator_gain_scale * actuator_gain_[gain];
      model.actuator_biasprm[bias + 1] = physics.actuator_gain_scale * actuator_bias_[bias + 1];
    }
  }
  for (int geom = 0; geom < model.ngeom; ++geom)
    if (model.geom_bodyid[geom] == layout.box_body)
      model.geom_friction[3 * geom] = physics.box_friction_scale * geom_friction_[3 * geom];
  mj_setConst(&model, &scratch);
}

}  // namespace twinrl::robot

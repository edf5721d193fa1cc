#pragma once
// The physical parameters of the arm that a twin calibrates, as factors on the
// values of the MJCF file (1: as in the file), and how they are written into
// an mjModel.
#include <mujoco/mujoco.h>

#include <vector>

#include "envs/robot/arm_layout.h"

namespace twinrl::robot {

struct ArmPhysics {
  double link_mass_scale = 1.0;
  double joint_damping_scale = 1.0;
  double joint_friction_scale = 1.0;
  double joint_armature_scale = 1.0;
  double actuator_gain_scale = 1.0;
  double box_mass_scale = 1.0;
  double box_friction_scale = 1.0;

  template <class Visitor>
  void visit(Visitor& v) {
    v("link_mass_scale", link_mass_scale,
      {.doc = "factor on the mass and inertia of every body but the box", .min = 1e-3, .max = 1e3});
    v("joint_damping_scale", joint_damping_scale,
      {.doc = "factor on the damping of the actuated joints", .min = 0, .max = 1e3});
    v("joint_friction_scale", joint_friction_scale,
      {.doc = "factor on the dry friction (frictionloss) of the actuated joints",
       .min = 0,
       .max = 1e3});
    v("joint_armature_scale", joint_armature_scale,
      {.doc = "factor on the armature (rotor inertia) of the actuated joints",
       .min = 0,
       .max = 1e3});
    v("actuator_gain_scale", actuator_gain_scale,
      {.doc = "factor on every actuator's gain: position servos' kp, motors' torque per command",
       .min = 0,
       .max = 1e9});
    v("box_mass_scale", box_mass_scale,
      {.doc = "factor on the mass and inertia of the box", .min = 1e-3, .max = 1e3});
    v("box_friction_scale", box_friction_scale,
      {.doc = "factor on the sliding friction of the box's geoms", .min = 0, .max = 1e3});
  }

  bool operator==(const ArmPhysics&) const = default;
};

// The values of the MJCF file that ArmPhysics scales, kept to apply new factors.
class PhysicsBaseline {
 public:
  explicit PhysicsBaseline(const mjModel& model);

  // Writes the file's values times the factors of `physics` into `model` (the
  // file's model or a copy), then recomputes the constants MuJoCo derives from
  // masses, using `scratch` (whose state it overwrites). No allocation.
  void apply(const ArmPhysics& physics, const ArmLayout& layout, mjModel& model,
             mjData& scratch) const;

 private:
  std::vector<mjtNum> body_mass_, body_inertia_;
  std::vector<mjtNum> dof_damping_, dof_frictionloss_, dof_armature_;
  std::vector<mjtNum> actuator_gain_, actuator_bias_;
  std::vector<mjtNum> geom_friction_;
};

}  // namespace twinrl::robot

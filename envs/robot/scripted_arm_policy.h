#pragma once
// The "scripted" baseline of the Arm env (position control): each step it
// picks a point for the grip site and a gripper command from the state alone
// (no memory, so one policy serves every env and thread), then moves the arm
// toward that point with the gripper pointing down (grip_motion.h).
//   reach:      the target.
//   push:       fingers closed, from above to behind the box on the far side
//               from the target, then along the box-target line.
//   pick_place: fingers open above the box, down around it, close, and once
//               the fingers are stopped by the box, carry it to the target.
#include "core/baseline_policy.h"

namespace twinrl::robot {

class ArmModel;

class ScriptedArmPolicy : public BaselinePolicy {
 public:
  explicit ScriptedArmPolicy(const ArmModel& model) : model_(model) {}
  void act(const Env& env, const ActionOutput& out) const override;

 private:
  const ArmModel& model_;
};

}  // namespace twinrl::robot

#pragma once
// The Arm env's tasks (the `task` parameter).
#include <string_view>

namespace twinrl::robot {

enum class ArmTask { kReach, kPush, kPickPlace };

// "reach", "push" or "pick_place" (validated by the parameter's choices).
inline ArmTask parse_arm_task(std::string_view task) {
  if (task == "push") return ArmTask::kPush;
  if (task == "pick_place") return ArmTask::kPickPlace;
  return ArmTask::kReach;
}

}  // namespace twinrl::robot

#include "envs/robot/scripted_arm_policy.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "envs/robot/arm_env.h"
#include "envs/robot/grip_motion.h"
#include "envs/robot/push_point.h"

namespace twinrl::robot {
namespace {

using Vec3 = std::array<double, 3>;

// Where the grip site should go next and what the gripper should do.
struct Waypoint {
  Vec3 point;
  double gripper;  // the gripper action: -1 closed, 1 open
};

constexpr double kHoverHeight = 0.08;  // above the box's centre, to pass over it (m)
constexpr double kAlignment = 0.015;   // close enough to a waypoint to go on (m)
constexpr double kPushStride = 0.02;   // how far ahead each push step aims (m)
constexpr double kArrived = 0.01;      // the box this near its target is left alone (m)
// The grip nearer the box's centre than its half width and this (m) is over
// or beside it: the fingers reach 1 cm below the grip and are 2 cm thick.
constexpr double kHoverClearance = 0.05;

Vec3 at(const mjtNum* p) {
  return {p[0], p[1], p[2]};
}

double horizontal_distance(const Vec3& a, const Vec3& b) {
  return std::hypot(a[0] - b[0], a[1] - b[1]);
}

Waypoint push_waypoint(const Vec3& grip, const Vec3& box, const Vec3& target, double half_size) {
  const double dx = target[0] - box[0], dy = target[1] - box[1];
  const double remaining = std::hypot(dx, dy);
  const double hover = box[2] + kHoverHeight;
  // On the target: rise clear of the box and stay, as a box still sliding or
  // a grip coming round to push it back only carries it off again.
  if (remaining < kArrived) return {{grip[0], grip[1], hover}, -1};
  const double ux = dx / remaining, uy = dy / remaining;
  const Vec3 behind = push_point(box.data(), target, half_size);
  // Along and across the push line, relative to the box.
  const double along = (grip[0] - box[0]) * ux + (grip[1] - box[1]) * uy;
  const double across = std::abs(-(grip[0] - box[0]) * uy + (grip[1] - box[1]) * ux);
  const bool in_position =
      along < -half_size && across < kAlignment && grip[2] < box[2] + kAlignment;
  if (in_position) {
    const double stride = std::min(remaining, kPushStride);
    return {{behind[0] + ux * stride, behind[1] + uy * stride, box[2]}, -1};
  }
  if (horizontal_distance(grip, behind) > kAlignment) {
    // Up first where a move across could sweep the box along.
    const bool beside_box = horizontal_distance(grip, box) < half_size + kHoverClearance;
    if (beside_box && grip[2] < hover - kAlignment) return {{grip[0], grip[1], hover}, -1};
    return {{behind[0], behind[1], hover}, -1};
  }
  return {behind, -1};
}

Waypoint pick_waypoint(const ArmLayout& layout, const mjData& data, const Vec3& grip,
                       const Vec3& box, const Vec3& target, double rest_height) {
  const double gap = std::hypot(box[0] - grip[0], box[1] - grip[1], box[2] - grip[2]);
  if (gap < 2 * kAlignment) {
    // Holding once every finger is commanded shut but kept open by the box,
    // and either settled or already lifting it.
    const bool lifted = box[2] > rest_height + 0.01;
    bool holding = true;
    for (const ActuatedJoint& finger : layout.fingers)
      holding &= data.ctrl[finger.actuator] <= finger.low &&
                 data.qpos[finger.qpos] > finger.low + 0.005 &&
                 (lifted || std::abs(data.qvel[finger.dof]) < 0.01);
    return {holding ? target : box, -1};
  }
  if (horizontal_distance(grip, box) > kAlignment)
    return {{box[0], box[1], box[2] + kHoverHeight}, 1};
  return {box, 1};
}

}  // namespace

void ScriptedArmPolicy::act(const Env& env, const ActionOutput& out) const {
  const auto& arm = static_cast<const ArmEnv&>(env);
  const ArmLayout& layout = model_.layout();
  const mjModel& m = *arm.mujoco_model();
  const mjData& d = *arm.data();
  const Vec3 grip = at(d.site_xpos + 3 * layout.grip_site);
  const Vec3& target = arm.target();

  Waypoint waypoint{target, 0};
  if (model_.task() != ArmTask::kReach) {
    const Vec3 box = at(d.qpos + layout.box_qpos);
    const double rest_height = model_.box_home()[2];  // half the box's height: the table is z = 0
    waypoint = model_.task() == ArmTask::kPush
                   ? push_waypoint(grip, box, target, rest_height)
                   : pick_waypoint(layout, d, grip, box, target, rest_height);
  }

  Vec3 displacement;
  for (int axis = 0; axis < 3; ++axis) displacement[axis] = waypoint.point[axis] - grip[axis];
  thread_local std::vector<mjtNum> jacobian;
  JointChanges change = grip_joint_changes(m, d, layout, displacement, jacobian);

  // Joint target changes in action units, scaled down together to fit [-1, 1].
  const int n = layout.num_arm_joints();
  double largest = 1;
  for (int j = 0; j < n; ++j) {
    change[j] /= arm.params().action_scale;
    largest = std::max(largest, std::abs(change[j]));
  }
  for (int j = 0; j < n; ++j) out.continuous[j] = static_cast<float>(change[j] / largest);
  out.continuous[n] = static_cast<float>(waypoint.gripper);
}

}  // namespace twinrl::robot

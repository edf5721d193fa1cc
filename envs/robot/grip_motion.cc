#include "envs/robot/grip_motion.h"

namespace twinrl::robot {
namespace {

using Vec3 = std::array<double, 3>;

constexpr double kDamping = 0.05;           // damped least squares lambda (m)
constexpr double kOrientationWeight = 0.1;  // m of position error per rad of tilt

}  // namespace

JointChanges grip_joint_changes(const mjModel& model, const mjData& data, const ArmLayout& layout,
                                const Vec3& displacement, std::vector<mjtNum>& jacobian) {
  // Error: the displacement, and the rotation that turns the site's axes onto
  // the wanted ones.
  std::array<double, 6> error{displacement[0], displacement[1], displacement[2], 0, 0, 0};
  const mjtNum* frame = data.site_xmat + 9 * layout.grip_site;  // row-major: columns are axes
  const double y_sign = frame[4] >= 0 ? 1.0 : -1.0;
  const std::array<Vec3, 3> wanted{Vec3{-y_sign, 0, 0}, Vec3{0, y_sign, 0}, Vec3{0, 0, -1}};
  for (int column = 0; column < 3; ++column) {
    const Vec3 axis{frame[column], frame[3 + column], frame[6 + column]};
    const Vec3& goal = wanted[column];
    error[3] += 0.5 * kOrientationWeight * (axis[1] * goal[2] - axis[2] * goal[1]);
    error[4] += 0.5 * kOrientationWeight * (axis[2] * goal[0] - axis[0] * goal[2]);
    error[5] += 0.5 * kOrientationWeight * (axis[0] * goal[1] - axis[1] * goal[0]);
  }

  // dq = J^T (J J^T + lambda^2 I)^-1 error, over the arm joints.
  const int nv = model.nv;
  jacobian.resize(6 * static_cast<size_t>(nv));
  mj_jacSite(&model, &data, jacobian.data(), jacobian.data() + 3 * nv, layout.grip_site);
  for (int row = 3; row < 6; ++row)
    for (int dof = 0; dof < nv; ++dof) jacobian[row * nv + dof] *= kOrientationWeight;
  std::array<mjtNum, 36> normal{};
  for (int i = 0; i < 6; ++i) {
    for (int k = 0; k < 6; ++k)
      for (const ActuatedJoint& joint : layout.arm)
        normal[6 * i + k] += jacobian[i * nv + joint.dof] * jacobian[k * nv + joint.dof];
    normal[7 * i] += kDamping * kDamping;
  }
  std::array<mjtNum, 6> solved{};
  mju_cholFactor(normal.data(), 6, 0);
  mju_cholSolve(solved.data(), normal.data(), error.data(), 6);

  JointChanges change{};
  for (int j = 0; j < layout.num_arm_joints(); ++j)
    for (int i = 0; i < 6; ++i) change[j] += jacobian[i * nv + layout.arm[j].dof] * solved[i];
  return change;
}

}  // namespace twinrl::robot

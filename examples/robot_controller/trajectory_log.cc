#include "trajectory_log.h"

#include <mujoco/mujoco.h>

#include <stdexcept>

#include "envs/robot/arm_env.h"

namespace robot_controller {
namespace {

// Position and velocity coordinates of a MuJoCo joint type.
int position_size(int type) {
  return type == mjJNT_FREE ? 7 : type == mjJNT_BALL ? 4 : 1;
}
int velocity_size(int type) {
  return type == mjJNT_FREE ? 6 : type == mjJNT_BALL ? 3 : 1;
}

// "qpos_<joint>" for one-coordinate joints, "qpos_<joint>[k]" otherwise.
std::string coordinate_name(const std::string& prefix, const char* joint, int size, int k) {
  return prefix + joint + (size == 1 ? "" : "[" + std::to_string(k) + "]");
}

const twinrl::robot::ArmEnv& arm_of(const twinrl::Env& env) {
  const auto* arm = dynamic_cast<const twinrl::robot::ArmEnv*>(&env);
  if (!arm) throw std::invalid_argument("--log records the MuJoCo arm (env Arm) only");
  return *arm;
}

}  // namespace

TrajectoryLog::TrajectoryLog(const std::string& path, const twinrl::EnvModel& robot)
    : path_(path),
      control_period_s_(robot.spec().control_period_s),
      action_size_(robot.spec().action_space.size()) {
  const std::unique_ptr<twinrl::Env> env = robot.make_env();
  const mjModel* m = arm_of(*env).mujoco_model();
  file_.open(path, std::ios::trunc);
  if (!file_) throw std::runtime_error("cannot write the log " + path);
  file_.precision(10);
  file_ << "episode,step,time_s";
  for (int64_t i = 0; i < action_size_; ++i) file_ << ",action_" << i;
  for (const char* prefix : {"qpos_", "qvel_"})
    for (int j = 0; j < m->njnt; ++j) {
      const int size =
          prefix[1] == 'p' ? position_size(m->jnt_type[j]) : velocity_size(m->jnt_type[j]);
      for (int k = 0; k < size; ++k)
        file_ << ',' << coordinate_name(prefix, mj_id2name(m, mjOBJ_JOINT, j), size, k);
    }
  for (int a = 0; a < m->nu; ++a) file_ << ",ctrl_" << mj_id2name(m, mjOBJ_ACTUATOR, a);
  file_ << '\n';
}

void TrajectoryLog::record(const twinrl::Env& env, int episode, int step, const float* action) {
  const twinrl::robot::ArmEnv& arm = arm_of(env);
  const mjModel* m = arm.mujoco_model();
  const mjData* d = arm.data();
  file_ << episode << ',' << step << ',' << step * control_period_s_;
  for (int64_t i = 0; i < action_size_; ++i) file_ << ',' << action[i];
  for (int i = 0; i < m->nq; ++i) file_ << ',' << d->qpos[i];
  for (int i = 0; i < m->nv; ++i) file_ << ',' << d->qvel[i];
  for (int a = 0; a < m->nu; ++a) file_ << ',' << d->ctrl[a];
  file_ << '\n';
}

void TrajectoryLog::close() {
  file_.flush();
  if (!file_) throw std::runtime_error("writing the log " + path_ + " failed (disk full?)");
  file_.close();
}

}  // namespace robot_controller

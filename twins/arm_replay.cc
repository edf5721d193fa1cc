#include "twins/arm_replay.h"

#include <algorithm>

namespace twinrl {
namespace {

// Writes the arm joints' positions and velocities (times the control period).
void arm_signals(const robot::ArmModel& model, const double* qpos, const double* qvel,
                 double* out) {
  const std::vector<robot::ActuatedJoint>& arm = model.layout().arm;
  const double period = model.spec().control_period_s;
  const size_t n = arm.size();
  for (size_t i = 0; i < n; ++i) {
    out[i] = qpos[arm[i].qpos];
    out[n + i] = qvel[arm[i].dof] * period;
  }
}

}  // namespace

int64_t arm_replay_width(const robot::ArmModel& model) {
  return 2 * model.layout().num_arm_joints();
}

void logged_arm_signals(const robot::ArmModel& model, const ArmLogEpisode& episode,
                        std::span<double> out) {
  const mjModel* m = model.mujoco_model();
  const int64_t width = arm_replay_width(model);
  for (int step = 1; step < episode.steps; ++step)
    arm_signals(model, episode.qpos.data() + step * m->nq, episode.qvel.data() + step * m->nv,
                out.data() + (step - 1) * width);
}

ArmReplayer::ArmReplayer(const robot::ArmModel& model)
    : model_(model),
      env_(model.make_env()),
      arm_(static_cast<robot::ArmEnv*>(env_.get())),
      observation_(model.spec().observation_space.size()) {}

void ArmReplayer::replay(const ArmLogEpisode& episode, std::span<const IndexedValue> values,
                         std::span<double> out, int horizon) {
  // Parameters an earlier replay set and this one does not are the model's again.
  for (const size_t index : changed_) env_->set_parameter(index, model_.parameters().value(index));
  changed_.clear();
  for (const IndexedValue& value : values) {
    env_->set_parameter(value.index, value.value);
    changed_.push_back(value.index);
  }
  const EnvOutput output{observation_.data(), &reward_, nullptr};
  env_->reset(output);  // writes the parameters into the physics
  const mjModel* m = arm_->mujoco_model();
  mjData* d = arm_->data();
  // Joints and box on the logged state of `step`.
  const auto put_on_log = [&](int step) {
    std::copy_n(episode.qpos.data() + step * m->nq, m->nq, d->qpos);
    std::copy_n(episode.qvel.data() + step * m->nv, m->nv, d->qvel);
    arm_->observe(output);
  };
  std::copy_n(episode.ctrl.data(), m->nu, d->ctrl);
  put_on_log(0);
  const int64_t actions = model_.spec().action_space.size();
  const int64_t width = arm_replay_width(model_);
  for (int step = 1; step < episode.steps; ++step) {
    env_->step({episode.actions.data() + (step - 1) * actions, nullptr}, output);
    arm_signals(model_, d->qpos, d->qvel, out.data() + (step - 1) * width);
    if (horizon > 0 && step % horizon == 0) put_on_log(step);
  }
}

}  // namespace twinrl

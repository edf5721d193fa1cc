#include "envs/robot/arm_env.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "envs/robot/grip_motion.h"
#include "envs/robot/push_point.h"
#include "envs/robot/scripted_arm_policy.h"

namespace twinrl::robot {
namespace {

constexpr int kLatencySlots = ArmParams::kMaxLatencySteps + 1;
constexpr int kMaxGoalDraws = 100;

// Arm actuators become motors whose command is the force itself, bounded by
// their force range.
void make_torque_motors(const ArmLayout& layout, mjModel& model) {
  for (const ActuatedJoint& joint : layout.arm) {
    const int actuator = joint.actuator;
    model.actuator_gaintype[actuator] = mjGAIN_FIXED;
    model.actuator_biastype[actuator] = mjBIAS_NONE;
    std::fill_n(model.actuator_gainprm + actuator * mjNGAIN, mjNGAIN, 0.0);
    std::fill_n(model.actuator_biasprm + actuator * mjNBIAS, mjNBIAS, 0.0);
    model.actuator_gainprm[actuator * mjNGAIN] = 1;
    model.actuator_ctrllimited[actuator] = 1;
    model.actuator_ctrlrange[2 * actuator] = -joint.force_limit;
    model.actuator_ctrlrange[2 * actuator + 1] = joint.force_limit;
  }
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

std::vector<std::string> action_names(const ArmParams& params, const ArmLayout& layout) {
  std::vector<std::string> names;
  if (params.cartesian_control()) {
    for (const char* axis : {"x", "y", "z"})
      names.push_back(std::string("grip_") + axis + "_change (1 = " + number(params.action_scale) +
                      " m)");
  } else {
    for (const ActuatedJoint& joint : layout.arm) {
      if (params.torque_control())
        names.push_back(joint.name + (joint.slide ? "_force (1 = " : "_torque (1 = ") +
                        number(joint.force_limit) + (joint.slide ? " N)" : " N m)"));
      else
        names.push_back(joint.name + "_target_change (1 = " + number(params.action_scale) +
                        (joint.slide ? " m)" : " rad)"));
    }
  }
  names.push_back("gripper (-1 closed, 1 open)");
  return names;
}

EnvSpec arm_spec(const ArmParams& params, const mjModel& model, const ArmLayout& layout,
                 const ArmObservation& observation) {
  const float inf = std::numeric_limits<float>::infinity();
  EnvSpec spec;
  spec.id = "Arm";
  spec.observation_space = Space::box(observation.size(), -inf, inf);
  spec.action_space =
      Space::box(static_cast<int>(action_names(params, layout).size()), -1.0f, 1.0f);
  spec.control_period_s = model.opt.timestep * params.frame_skip;
  spec.max_episode_steps = params.episode_steps;
  spec.kpi_names = {"success", "time_to_success_s", "final_distance_m", "energy_j", "unstable"};
  spec.observation_names = observation.names();
  spec.action_names = action_names(params, layout);
  return spec;
}

double distance(const mjtNum* a, const double* b) {
  return std::hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

// Numbers for rollout files, to the micrometre or microradian: their shortest
// JSON form then has a few digits rather than seventeen.
nlohmann::json rounded(const mjtNum* values, int count) {
  nlohmann::json numbers = nlohmann::json::array();
  for (int i = 0; i < count; ++i) numbers.push_back(std::round(values[i] * 1e6) / 1e6);
  return numbers;
}

// A name per qpos number: the joint's, with the coordinate for free and ball joints.
nlohmann::json qpos_names(const mjModel& model) {
  nlohmann::json names = nlohmann::json::array();
  for (int joint = 0; joint < model.njnt; ++joint) {
    const char* given = mj_id2name(&model, mjOBJ_JOINT, joint);
    const std::string name = given ? given : "joint" + std::to_string(joint);
    const int type = model.jnt_type[joint];
    if (type == mjJNT_FREE)
      for (const char* coordinate : {"_x", "_y", "_z"}) names.push_back(name + coordinate);
    if (type == mjJNT_FREE || type == mjJNT_BALL)
      for (const char* coordinate : {"_qw", "_qx", "_qy", "_qz"})
        names.push_back(name + coordinate);
    if (type == mjJNT_HINGE || type == mjJNT_SLIDE) names.push_back(name);
  }
  return names;
}

}  // namespace

ArmModel::Scene ArmModel::load_scene(const ArmParams& params) {
  Scene scene;
  try {
    scene.model = load_mjcf(params.model_path());
    scene.layout = ArmLayout::find(*scene.model, params.moves_box(), params.torque_control());
    if (params.torque_control()) make_torque_motors(scene.layout, *scene.model);
    if (params.timestep > 0) scene.model->opt.timestep = params.timestep;
    // A trial of the home pose, so that a scene MuJoCo cannot simulate fails here.
    const MjDataPtr home = make_data(*scene.model);
    if (scene.layout.home_key >= 0)
      mj_resetDataKeyframe(scene.model.get(), home.get(), scene.layout.home_key);
    mj_forward(scene.model.get(), home.get());
    if (scene.layout.box_qpos >= 0)
      std::copy_n(home->qpos + scene.layout.box_qpos, 7, scene.box_home.begin());
  } catch (const std::exception& error) {
    throw std::invalid_argument(params.model_path() + ": " + error.what());
  }
  return scene;
}

ArmModel::ArmModel(const ArmParams& params) : ArmModel(params, load_scene(params)) {}

ArmModel::ArmModel(const ArmParams& params, Scene scene)
    : EnvModel(arm_spec(
          params, *scene.model, scene.layout,
          ArmObservation(scene.layout, parse_arm_task(params.task), params.torque_control()))),
      params_(params),
      task_(parse_arm_task(params.task)),
      model_(std::move(scene.model)),
      layout_(std::move(scene.layout)),
      observation_(layout_, task_, params.torque_control()),
      baseline_(*model_),
      box_home_(scene.box_home) {
  if (params.physics != ArmPhysics{})
    baseline_.apply(params.physics, layout_, *model_, *make_data(*model_));
}

std::unique_ptr<Env> ArmModel::create_env() const {
  return std::make_unique<ArmEnv>(*this);
}

std::vector<std::string> ArmModel::baseline_names() const {
  if (!params_.position_control()) return {};
  return {"scripted"};
}

std::unique_ptr<BaselinePolicy> ArmModel::make_baseline(const std::string& name,
                                                        uint64_t seed) const {
  if (name == "scripted" && params_.position_control())
    return std::make_unique<ScriptedArmPolicy>(*this);
  return EnvModel::make_baseline(name, seed);
}

ArmEnv::ArmEnv(const ArmModel& model)
    : EnvWithParams(model.params()),
      model_(model),
      mujoco_model_(model.mujoco_model()),
      stepped_physics_(model.params().physics),
      data_(make_data(*mujoco_model_)),
      recent_actions_(kLatencySlots * model.spec().action_space.size()),
      command_pose_(model.params().cartesian_control() ? make_data(*mujoco_model_) : nullptr) {}

void ArmEnv::start_pose(bool noisy) {
  const ArmLayout& layout = model_.layout();
  const mjModel* m = mujoco_model_;
  mjData* d = data_.get();
  if (layout.home_key >= 0)
    mj_resetDataKeyframe(m, d, layout.home_key);
  else
    mj_resetData(m, d);
  const double noise = noisy ? params_.initial_joint_noise : 0.0;
  for (const ActuatedJoint& joint : layout.arm) {
    double& q = d->qpos[joint.qpos];
    if (noise > 0) q = std::clamp(q + rng_.uniform(-noise, noise), joint.low, joint.high);
    // Position servos hold the start pose; torque motors start idle.
    d->ctrl[joint.actuator] = params_.torque_control() ? 0.0 : q;
  }
  for (const ActuatedJoint& finger : layout.fingers)
    d->ctrl[finger.actuator] = d->qpos[finger.qpos];
}

void ArmEnv::place_box_and_target() {
  const ArmLayout& layout = model_.layout();
  const std::vector<double>& low = params_.target_low;
  const std::vector<double>& high = params_.target_high;
  if (model_.task() == ArmTask::kReach) {
    for (int axis = 0; axis < 3; ++axis) target_[axis] = rng_.uniform(low[axis], high[axis]);
    return;
  }
  // start_pose() left the box at rest as in the home pose; it moves on the table.
  mjtNum* box = data_->qpos + layout.box_qpos;
  box[0] = rng_.uniform(params_.box_low[0], params_.box_high[0]);
  box[1] = rng_.uniform(params_.box_low[1], params_.box_high[1]);
  const double rest_z = model_.box_home()[2];
  // Rejection keeps targets away from the box; a bounded number of draws keeps
  // reset's cost bounded (and the last draw is used if none is far enough).
  for (int draw = 0; draw < kMaxGoalDraws; ++draw) {
    target_[0] = rng_.uniform(low[0], high[0]);
    target_[1] = rng_.uniform(low[1], high[1]);
    target_[2] =
        model_.task() == ArmTask::kPush ? rest_z : rng_.uniform(rest_z, std::max(rest_z, high[2]));
    if (distance(box, target_.data()) >= params_.min_goal_distance) break;
  }
}

void ArmEnv::set_target(const std::array<double, 3>& target) {
  target_ = target;
  if (const int mocap = model_.layout().target_mocap; mocap >= 0)
    std::copy(target.begin(), target.end(), data_->mocap_pos + 3 * mocap);
}

void ArmEnv::sync_physics() {
  if (params_.physics == stepped_physics_) return;
  if (!own_model_) {
    own_model_ = copy_model(*model_.mujoco_model());
    mujoco_model_ = own_model_.get();
  }
  model_.physics_baseline().apply(params_.physics, model_.layout(), *own_model_, *data_);
  stepped_physics_ = params_.physics;
}

void ArmEnv::reset_episode(const EnvOutput& out) {
  sync_physics();
  start_pose(true);
  place_box_and_target();
  set_target(target_);
  steps_ = 0;
  first_success_step_ = -1;
  energy_ = 0;
  unstable_ = false;
  std::fill(recent_actions_.begin(), recent_actions_.end(), 0.0f);
  observe(out);
}

int ArmEnv::latency_steps() const {
  return static_cast<int>(std::lround(params_.control_latency_steps));
}

void ArmEnv::apply_action(const float* action) {
  const ArmLayout& layout = model_.layout();
  mjData* d = data_.get();
  const auto clipped = [&](int i) { return std::clamp(static_cast<double>(action[i]), -1.0, 1.0); };
  int gripper_action = layout.num_arm_joints();
  if (params_.cartesian_control()) {
    // The joint targets move by what carries the grip point of the arm posed
    // at them by the action: targets, not the lagging joints, so that a
    // displacement asked for is one the servos are then sent to.
    mjData* pose = command_pose_.get();
    std::copy_n(d->qpos, mujoco_model_->nq, pose->qpos);
    for (const ActuatedJoint& joint : layout.arm) pose->qpos[joint.qpos] = d->ctrl[joint.actuator];
    mj_kinematics(mujoco_model_, pose);
    mj_comPos(mujoco_model_, pose);
    const double height = pose->site_xpos[3 * layout.grip_site + 2];
    const double dz = std::max(clipped(2) * params_.action_scale, params_.grip_min_height - height);
    const JointChanges change = grip_joint_changes(
        *mujoco_model_, *pose, layout,
        {clipped(0) * params_.action_scale, clipped(1) * params_.action_scale, dz}, grip_jacobian_);
    for (int i = 0; i < layout.num_arm_joints(); ++i) {
      const ActuatedJoint& joint = layout.arm[i];
      double& command = d->ctrl[joint.actuator];
      command = std::clamp(command + change[i], joint.low, joint.high);
    }
    gripper_action = 3;  // after the grip point's x, y and z
  } else {
    for (int i = 0; i < layout.num_arm_joints(); ++i) {
      const ActuatedJoint& joint = layout.arm[i];
      double& command = d->ctrl[joint.actuator];
      if (params_.torque_control())
        command = clipped(i) * joint.force_limit;
      else
        command = std::clamp(command + clipped(i) * params_.action_scale, joint.low, joint.high);
    }
  }
  // One number opens or closes every finger: -1 closed, 1 open.
  const double opening = (clipped(gripper_action) + 1) / 2;
  for (const ActuatedJoint& finger : layout.fingers)
    d->ctrl[finger.actuator] = finger.low + opening * (finger.high - finger.low);
}

bool ArmEnv::state_is_finite() const {
  const mjModel* m = mujoco_model_;
  for (int i = 0; i < m->nq; ++i)
    if (!std::isfinite(data_->qpos[i])) return false;
  for (int i = 0; i < m->nv; ++i)
    if (!std::isfinite(data_->qvel[i])) return false;
  return true;
}

bool ArmEnv::simulate() {
  const mjModel* m = mujoco_model_;
  mjData* d = data_.get();
  try {
    for (int substep = 0; substep < params_.frame_skip; ++substep) {
      mj_step(m, d);
      // MuJoCo resets the state itself after a bad number and counts a warning.
      for (int warning : {mjWARN_BADQPOS, mjWARN_BADQVEL, mjWARN_BADQACC, mjWARN_BADCTRL})
        if (d->warning[warning].number > 0) return false;
      for (int actuator = 0; actuator < m->nu; ++actuator)
        energy_ += std::abs(d->actuator_force[actuator] * d->actuator_velocity[actuator]) *
                   m->opt.timestep;
    }
  } catch (const MujocoError&) {
    return false;
  }
  return state_is_finite();
}

StepStatus ArmEnv::step(const ActionRef& action, const EnvOutput& out) {
  const int64_t action_size = model_.spec().action_space.size();
  float* slot = recent_actions_.data() + (steps_ % kLatencySlots) * action_size;
  std::copy_n(action.continuous, action_size, slot);
  const int delayed_step = steps_ - latency_steps() + kLatencySlots;
  apply_action(recent_actions_.data() + (delayed_step % kLatencySlots) * action_size);
  ++steps_;

  if (!simulate()) [[unlikely]] {
    // The episode ends here; a clean home state keeps the final observation
    // finite for the learner's bootstrap.
    unstable_ = true;
    start_pose(false);
    set_target(target_);
    observe(out);
    out.reward[0] = reward();
    return {.truncated = true};
  }
  // mj_step leaves positions of the state before its last integration: the
  // grip site of the new state, and what Jacobians need, for policies reading it.
  mj_kinematics(mujoco_model_, data_.get());
  mj_comPos(mujoco_model_, data_.get());
  write_observation(out.observation);
  out.reward[0] = reward();
  if (first_success_step_ < 0 && goal_distance() <= params_.success_distance)
    first_success_step_ = steps_;
  return {};
}

void ArmEnv::observe(const EnvOutput& out) {
  mj_forward(mujoco_model_, data_.get());
  write_observation(out.observation);
}

void ArmEnv::write_observation(float* out) {
  model_.observation().write(*data_, target_, params_.observation_noise, rng_, out);
}

double ArmEnv::goal_distance() const {
  const ArmLayout& layout = model_.layout();
  const mjtNum* moved = model_.task() == ArmTask::kReach ? data_->site_xpos + 3 * layout.grip_site
                                                         : data_->qpos + layout.box_qpos;
  return distance(moved, target_.data());
}

float ArmEnv::reward() const {
  const double goal = goal_distance();
  const bool reached = goal <= params_.success_distance;
  if (params_.reward == "sparse") return reached ? 0.0f : -1.0f;
  double reward = -goal + (reached ? params_.success_bonus : 0.0);
  // Box tasks also lead the grip to where it can move the box: behind it for
  // a push, its centre for a grasp.
  if (model_.task() != ArmTask::kReach) {
    const mjtNum* grip = data_->site_xpos + 3 * model_.layout().grip_site;
    const mjtNum* box = data_->qpos + model_.layout().box_qpos;
    const std::array<double, 3> approach_point =
        model_.task() == ArmTask::kPush ? push_point(box, target_, model_.box_home()[2])
                                        : std::array<double, 3>{box[0], box[1], box[2]};
    reward -= params_.approach_weight * distance(grip, approach_point.data());
  }
  return static_cast<float>(reward);
}

void ArmEnv::episode_kpis(std::span<float> out) const {
  const double period = model_.spec().control_period_s;
  const double final_distance = goal_distance();
  out[0] = !unstable_ && final_distance <= params_.success_distance ? 1.0f : 0.0f;
  out[1] = static_cast<float>((first_success_step_ >= 0 ? first_success_step_ : steps_) * period);
  out[2] = static_cast<float>(final_distance);
  out[3] = static_cast<float>(energy_);
  out[4] = unstable_ ? 1.0f : 0.0f;
}

void ArmEnv::render_scene(nlohmann::json& scene) const {
  scene = {{"task", params_.task},
           {"target", rounded(target_.data(), 3)},
           {"success_distance_m", params_.success_distance},
           {"qpos_names", qpos_names(*mujoco_model_)}};
}

void ArmEnv::render_state(nlohmann::json& state) const {
  const ArmLayout& layout = model_.layout();
  state = {{"qpos", rounded(data_->qpos, mujoco_model_->nq)},
           {"grip", rounded(data_->site_xpos + 3 * layout.grip_site, 3)},
           {"distance_m", std::round(goal_distance() * 1e6) / 1e6}};
  if (layout.box_qpos >= 0) state["box"] = rounded(data_->qpos + layout.box_qpos, 7);
}

void ArmEnv::archive_state(StateArchive& state) {
  const mjModel* m = mujoco_model_;
  mjData* d = data_.get();
  if (state.loading()) {
    sync_physics();  // the loaded parameters
    m = mujoco_model_;
    mj_resetData(m, d);
  }
  state(d->time, std::span(d->qpos, m->nq), std::span(d->qvel, m->nv), std::span(d->act, m->na),
        std::span(d->ctrl, m->nu), std::span(d->qacc_warmstart, m->nv),
        std::span(d->mocap_pos, 3 * m->nmocap), std::span(d->mocap_quat, 4 * m->nmocap));
  state(target_, steps_, first_success_step_, energy_, unstable_, recent_actions_);
  if (state.loading()) mj_forward(m, d);
}

}  // namespace twinrl::robot

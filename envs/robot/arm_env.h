#pragma once
// A MuJoCo robot arm on a table (envs/robot/assets: 6 joints and a two-finger
// parallel gripper) with three tasks: reach (the grip point to a target in
// the air), push (a box to a target on the table) and pick_place (a box to a
// target on or above the table). Episodes have a fixed length and are
// truncated, never terminated; an unstable simulation (MuJoCo's bad-number
// warnings, non-finite state, a MuJoCo error) truncates the episode with the
// KPI `unstable` set, and the physics starts over at the next reset.
//
// All envs share the ArmModel's mjModel read-only, each with its own mjData,
// until an env's physical parameters differ from the model's (randomized or
// set by name): then that env makes its own copy of the mjModel, once, and
// each reset writes its physical parameters into it.
#include <mujoco/mujoco.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "core/env.h"
#include "envs/robot/arm_layout.h"
#include "envs/robot/arm_observation.h"
#include "envs/robot/arm_params.h"
#include "envs/robot/arm_physics.h"
#include "envs/robot/arm_task.h"
#include "envs/robot/mujoco_support.h"

namespace twinrl::robot {

class ArmModel : public EnvModel {
 public:
  explicit ArmModel(const ArmParams& params);

  // "scripted" (joint position control only): a damped-least-squares controller
  // that moves the grip point with the gripper pointing down.
  std::vector<std::string> baseline_names() const override;
  std::unique_ptr<BaselinePolicy> make_baseline(const std::string& name,
                                                uint64_t seed) const override;

  const ArmParams& params() const { return params_; }
  ArmTask task() const { return task_; }
  // The compiled model with the fixed parameters applied (control mode,
  // timestep, physics factors); what envs step while their physics is the model's.
  const mjModel* mujoco_model() const { return model_.get(); }
  int frame_skip() const { return params_.frame_skip; }
  const ArmLayout& layout() const { return layout_; }
  const ArmObservation& observation() const { return observation_; }
  const PhysicsBaseline& physics_baseline() const { return baseline_; }
  // The box's resting position and orientation in the home pose (7 numbers);
  // its height is half the box's, the table top being z = 0.
  const std::array<double, 7>& box_home() const { return box_home_; }

 protected:
  std::unique_ptr<Env> create_env() const override;

 private:
  struct Scene {
    MjModelPtr model;
    ArmLayout layout;
    std::array<double, 7> box_home{};
  };
  static Scene load_scene(const ArmParams& params);
  ArmModel(const ArmParams& params, Scene scene);

  ArmParams params_;
  ArmTask task_;
  MjModelPtr model_;
  ArmLayout layout_;
  ArmObservation observation_;
  PhysicsBaseline baseline_;
  std::array<double, 7> box_home_;
};

class ArmEnv : public EnvWithParams<ArmParams> {
 public:
  explicit ArmEnv(const ArmModel& model);

  StepStatus step(const ActionRef& action, const EnvOutput& out) override;
  // success, time_to_success_s, final_distance_m, energy_j, unstable.
  void episode_kpis(std::span<float> out) const override;
  // The task, target and qpos names; qpos, grip and box pose (README.md,
  // "Render state").
  void render_scene(nlohmann::json& scene) const override;
  void render_state(nlohmann::json& state) const override;

  const ArmModel& model() const { return model_; }
  // The mjModel this env steps: the shared one, or its own copy.
  const mjModel* mujoco_model() const { return mujoco_model_; }
  mjData* data() { return data_.get(); }
  const mjData* data() const { return data_.get(); }
  const std::array<double, 3>& target() const { return target_; }

  // Moves the target, for tests and what-if scenarios.
  void set_target(const std::array<double, 3>& target);
  // After the state in data() was changed by hand: recomputes the derived
  // quantities and writes the observation of the current state.
  void observe(const EnvOutput& out);
  // Distance (m) of what the task moves (grip or box) to the target.
  double goal_distance() const;
  // The reward of the current state.
  float reward() const;

 protected:
  void reset_episode(const EnvOutput& out) override;
  void archive_state(StateArchive& state) override;

 private:
  // Writes the physical parameters into this env's own mjModel if they
  // differ from those of the mjModel it steps (making the copy the first time).
  void sync_physics();
  // The home pose (plus joint noise when `noisy`), servo targets on it.
  void start_pose(bool noisy);
  void place_box_and_target();
  void apply_action(const float* action);
  // Steps the physics one control period; false if it went unstable.
  bool simulate();
  bool state_is_finite() const;
  void write_observation(float* out);
  int latency_steps() const;

  const ArmModel& model_;
  MjModelPtr own_model_;  // only once the physics differs from the model's
  const mjModel* mujoco_model_;
  ArmPhysics stepped_physics_;  // the physical parameters in *mujoco_model_
  MjDataPtr data_;
  std::array<double, 3> target_{};

  int steps_ = 0;
  int first_success_step_ = -1;
  double energy_ = 0;
  bool unstable_ = false;
  // The actions of the last kMaxLatencySteps + 1 steps, a ring indexed by step.
  std::vector<float> recent_actions_;
  // Cartesian control's scratch: the arm posed at its joint targets, whose
  // grip the actions move (the joints themselves lag behind their servos), and
  // the grip's Jacobian there.
  MjDataPtr command_pose_;
  std::vector<mjtNum> grip_jacobian_;
};

}  // namespace twinrl::robot

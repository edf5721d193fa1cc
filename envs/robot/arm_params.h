#pragma once
// The YAML parameters of the Arm env: scene, task, control, timing, reward,
// where targets and boxes appear, and what a twin calibrates or randomizes.
#include <string>
#include <vector>

#include "config/config_node.h"
#include "config/schema.h"
#include "envs/robot/arm_physics.h"

namespace twinrl::robot {

struct ArmParams {
  std::string model;
  std::string task = "reach";
  std::string control = "position";
  double timestep = 0;
  int frame_skip = 8;
  int episode_steps = 100;
  std::string reward = "dense";
  double success_distance = 0.05;
  double approach_weight = 0.5;
  double success_bonus = 0;
  double action_scale = 0.05;
  double grip_min_height = 0.025;
  std::vector<double> target_low = {0.25, -0.25, 0.05};
  std::vector<double> target_high = {0.55, 0.25, 0.35};
  std::vector<double> box_low = {0.3, -0.15};
  std::vector<double> box_high = {0.5, 0.15};
  double min_goal_distance = 0.1;
  double initial_joint_noise = 0.05;
  ArmPhysics physics;
  double control_latency_steps = 0;
  double observation_noise = 0;

  // Most control latency, in control periods; the latency buffer is sized for it.
  static constexpr int kMaxLatencySteps = 16;

  template <class Visitor>
  void visit(Visitor& v) {
    v("model", model,
      {.doc = "MJCF scene (relative to the config file, or a file of envs/robot/assets); empty: "
              "the built-in 6-joint arm "
              "(assets/arm_reach.xml for reach, assets/arm_box.xml otherwise). See "
              "envs/robot/README.md for the names a scene must use"});
    v("task", task,
      {.doc = "reach: the gripper to a target in the air; push: a box to a target on the table; "
              "pick_place: a box to a target on or above the table",
       .choices = {"reach", "push", "pick_place"}});
    v("control", control,
      {.doc = "position: actions change the arm's joint targets; cartesian: actions move the "
              "grip point (x, y, z in the world frame) and the joint targets follow by damped "
              "least squares, the gripper held pointing down; torque: actions are joint torques "
              "(the gripper is position-controlled in every mode)",
       .choices = {"position", "cartesian", "torque"}});
    v("timestep", timestep, {.doc = "physics step (s); 0: the model file's", .min = 0, .max = 0.1});
    v("frame_skip", frame_skip, {.doc = "physics steps per control step", .min = 1, .max = 1000});
    v("episode_steps", episode_steps,
      {.doc = "control steps per episode; episodes are truncated there, never terminated",
       .min = 1});
    v("reward", reward,
      {.doc = "dense: minus the goal distance (m) each step, and for box tasks minus "
              "approach_weight times the grip's distance to where it moves the box from (behind "
              "it for push, its centre for pick_place); sparse: 0 within success_distance, else "
              "-1",
       .choices = {"dense", "sparse"}});
    v("success_distance", success_distance,
      {.doc = "the goal is reached within this distance (m)", .min = 1e-4, .max = 1});
    v("approach_weight", approach_weight,
      {.doc = "dense reward of box tasks: weight of the grip's distance to the box", .min = 0});
    v("success_bonus", success_bonus,
      {.doc = "dense reward: added on every step that ends within success_distance", .min = 0});
    v("action_scale", action_scale,
      {.doc = "position control: joint target change (rad, or m for slide joints) of an action "
              "of 1 per step; cartesian: grip point displacement (m) of an action of 1 per step",
       .min = 1e-4,
       .max = 1});
    v("grip_min_height", grip_min_height,
      {.doc = "cartesian control: the lowest the grip point is sent (m above the table top); "
              "the built-in fingertips reach 1 cm below the grip point and the servos sag up to "
              "a centimetre near the table, so lower targets would press them into it, whose "
              "friction then holds the hand back",
       .min = -1,
       .max = 2});
    v("target_low", target_low,
      {.doc = "lower corner (x, y, z; m, world frame, table top z = 0) of the target region; "
              "push places targets at the box's resting height, pick_place at or above it"});
    v("target_high", target_high, {.doc = "upper corner of the target region (m)"});
    v("box_low", box_low,
      {.doc = "lower corner (x, y; m) of the region where the box starts (push, pick_place)"});
    v("box_high", box_high, {.doc = "upper corner (x, y; m) of the box's start region"});
    v("min_goal_distance", min_goal_distance,
      {.doc = "push, pick_place: targets are drawn at least this far (m) from the box's start",
       .min = 0});
    v("initial_joint_noise", initial_joint_noise,
      {.doc = "arm joints start at the home pose plus uniform noise of +-this (rad)",
       .min = 0,
       .max = 1});
    v("physics", physics);
    v("control_latency_steps", control_latency_steps,
      {.doc = "control periods between an action and its effect (rounded to whole steps at "
              "each reset, so that it can be randomized)",
       .min = 0,
       .max = kMaxLatencySteps});
    v("observation_noise", observation_noise,
      {.doc = "standard deviation of Gaussian noise on every measured observation number "
              "(not the target), in its units",
       .min = 0});
  }

  bool moves_box() const { return task != "reach"; }
  bool position_control() const { return control == "position"; }
  bool torque_control() const { return control == "torque"; }
  bool cartesian_control() const { return control == "cartesian"; }
  // The MJCF file to load: `model`, or the built-in scene of the task.
  std::string model_path() const;

  // Cross-field checks; resolves `model` against the config file's folder and
  // builds the model from it, so that a bad scene is reported at the `model` key.
  void validate(const ConfigNode& node);
};

}  // namespace twinrl::robot

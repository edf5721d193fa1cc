#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "config/config_error.h"
#include "core/env_registry.h"
#include "core/vec_env.h"
#include "envs/robot/arm_env.h"
#include "tests/runner_checks.h"

namespace twinrl::robot {
namespace {

namespace fs = std::filesystem;

constexpr int kSuccess = 0, kTimeToSuccess = 1, kFinalDistance = 2, kEnergy = 3, kUnstable = 4;
constexpr int kArmJoints = 6;
constexpr double kPeriod = 0.04;  // the built-in scene's 5 ms step times the default frame_skip

ArmParams task_params(const std::string& task, const std::string& control = "position") {
  ArmParams params;
  params.task = task;
  params.control = control;
  return params;
}

// One env and the buffers it writes into.
class Arm {
 public:
  explicit Arm(const ArmParams& params, uint64_t seed = 7, const std::string& randomize = "")
      : model_(make_model<ArmParams, ArmModel>(params, test_support::randomize(randomize))),
        env_(test_support::make_typed_env<ArmEnv>(*model_)),
        observation_(model_->spec().observation_space.size()) {
    env_->seed(seed);
    env_->reset(output());
  }

  const ArmModel& model() const { return *model_; }
  ArmEnv& env() { return *env_; }
  mjData& data() { return *env_->data(); }
  const std::vector<float>& observation() const { return observation_; }
  float reward() const { return reward_; }

  void reset() { env_->reset(output()); }
  void observe() { env_->observe(output()); }
  StepStatus step(const std::vector<float>& action) {
    return env_->step({action.data(), nullptr}, output());
  }
  // Joint targets unchanged (or no torque) and the gripper half open.
  StepStatus hold() { return step(std::vector<float>(action_size(), 0.0f)); }
  StepStatus random_step(Rng& rng) {
    std::vector<float> action(action_size());
    model_->spec().action_space.sample(rng, action);
    return step(action);
  }
  std::vector<float> kpis() const {
    std::vector<float> kpis(model_->spec().kpi_names.size());
    env_->episode_kpis(kpis);
    return kpis;
  }
  size_t action_size() const { return model_->spec().action_space.size(); }
  std::array<double, 3> grip() const {
    const mjtNum* p = env_->data()->site_xpos + 3 * model_->layout().grip_site;
    return {p[0], p[1], p[2]};
  }

 private:
  EnvOutput output() { return {observation_.data(), &reward_, nullptr}; }

  std::shared_ptr<const ArmModel> model_;
  std::unique_ptr<ArmEnv> env_;
  std::vector<float> observation_;
  float reward_ = 0;
};

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.starts_with(prefix);
}
bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

bool all_finite(const std::vector<float>& values) {
  for (float value : values)
    if (!std::isfinite(value)) return false;
  return true;
}

TEST(ArmModelTest, EveryTaskAndControlModeLoadsAndSteps) {
  for (const std::string task : {"reach", "push", "pick_place"}) {
    for (const std::string control : {"position", "cartesian", "torque"}) {
      SCOPED_TRACE(task + ", " + control);
      Arm arm(task_params(task, control));
      const EnvSpec& spec = arm.model().spec();
      const int actions = control == "cartesian" ? 3 + 1 : kArmJoints + 1;
      EXPECT_EQ(spec.observation_space.size(), task == "reach" ? 28 : 47);
      EXPECT_EQ(spec.action_space.size(), actions);
      EXPECT_DOUBLE_EQ(spec.control_period_s, kPeriod);
      EXPECT_EQ(spec.max_episode_steps, 100);
      EXPECT_EQ(spec.observation_names.size(), static_cast<size_t>(spec.observation_space.size()));
      EXPECT_EQ(spec.action_names.size(), static_cast<size_t>(actions));
      Rng rng(3);
      for (int step = 0; step < 25; ++step) {
        EXPECT_FALSE(arm.random_step(rng).truncated);
        ASSERT_TRUE(all_finite(arm.observation()));
      }
      EXPECT_NEAR(arm.data().time, 25 * kPeriod, 1e-9);
      EXPECT_EQ(arm.kpis()[kUnstable], 0);
      EXPECT_GT(arm.kpis()[kEnergy], 0);
    }
  }
}

TEST(ArmModelTest, ActionNamesCarryTheirScale) {
  const Arm position(task_params("reach"));
  EXPECT_EQ(position.model().spec().action_names.front(),
            "shoulder_yaw_target_change (1 = 0.05 rad)");
  EXPECT_EQ(position.model().spec().action_names.back(), "gripper (-1 closed, 1 open)");
  const Arm torque(task_params("reach", "torque"));
  EXPECT_EQ(torque.model().spec().action_names.front(), "shoulder_yaw_torque (1 = 40 N m)");
  const Arm cartesian(task_params("reach", "cartesian"));
  EXPECT_EQ(cartesian.model().spec().action_names.front(), "grip_x_change (1 = 0.05 m)");
}

TEST(ArmObservationTest, LayoutMatchesTheReadme) {
  Arm arm(task_params("push"));
  const std::vector<std::string>& names = arm.model().spec().observation_names;
  ASSERT_EQ(names.size(), 47u);
  EXPECT_EQ(names[0], "shoulder_yaw_position_rad");
  EXPECT_EQ(names[5], "wrist_roll_position_rad");
  EXPECT_EQ(names[6], "shoulder_yaw_velocity_rad_per_s");
  EXPECT_EQ(names[12], "shoulder_yaw_target_rad");
  EXPECT_EQ(names[18], "gripper_opening_m");
  EXPECT_EQ(names[19], "grip_x_m");
  EXPECT_EQ(names[22], "target_x_m");
  EXPECT_EQ(names[25], "target_minus_grip_x_m");
  EXPECT_EQ(names[28], "box_x_m");
  EXPECT_EQ(names[31], "box_quat_w");
  EXPECT_EQ(names[35], "box_velocity_x_m_per_s");
  EXPECT_EQ(names[38], "box_angular_velocity_x_rad_per_s");
  EXPECT_EQ(names[41], "box_minus_grip_x_m");
  EXPECT_EQ(names[44], "target_minus_box_x_m");
  EXPECT_EQ(names[46], "target_minus_box_z_m");

  Rng rng(5);
  for (int step = 0; step < 10; ++step) arm.random_step(rng);
  const std::vector<float>& o = arm.observation();
  const mjData& d = arm.data();
  const ArmLayout& layout = arm.model().layout();
  for (int i = 0; i < kArmJoints; ++i) {
    EXPECT_FLOAT_EQ(o[i], static_cast<float>(d.qpos[layout.arm[i].qpos]));
    EXPECT_FLOAT_EQ(o[6 + i], static_cast<float>(d.qvel[layout.arm[i].dof]));
    EXPECT_FLOAT_EQ(o[12 + i], static_cast<float>(d.ctrl[layout.arm[i].actuator]));
  }
  EXPECT_FLOAT_EQ(
      o[18], static_cast<float>(d.qpos[layout.fingers[0].qpos] + d.qpos[layout.fingers[1].qpos]));
  const std::array<double, 3> grip = arm.grip();
  const std::array<double, 3>& target = arm.env().target();
  const mjtNum* box = d.qpos + layout.box_qpos;
  for (int axis = 0; axis < 3; ++axis) {
    EXPECT_NEAR(o[19 + axis], grip[axis], 1e-6);
    EXPECT_FLOAT_EQ(o[22 + axis], static_cast<float>(target[axis]));
    EXPECT_NEAR(o[25 + axis], target[axis] - grip[axis], 1e-6);
    EXPECT_NEAR(o[41 + axis], box[axis] - grip[axis], 1e-6);
    EXPECT_NEAR(o[44 + axis], target[axis] - box[axis], 1e-6);
  }
  for (int i = 0; i < 7; ++i) EXPECT_FLOAT_EQ(o[28 + i], static_cast<float>(box[i]));
  for (int i = 0; i < 6; ++i)
    EXPECT_FLOAT_EQ(o[35 + i], static_cast<float>(d.qvel[layout.box_dof + i]));
}

TEST(ArmObservationTest, NoiseDisturbsMeasurementsButNotTheTarget) {
  ArmParams params = task_params("reach");
  params.observation_noise = 0.01;
  Arm arm(params);
  const std::vector<float>& o = arm.observation();
  const std::array<double, 3> grip = arm.grip();
  double squared_error = 0;
  for (int i = 0; i < kArmJoints; ++i)
    squared_error += std::pow(o[i] - arm.data().qpos[arm.model().layout().arm[i].qpos], 2);
  EXPECT_GT(squared_error, 0);
  EXPECT_LT(squared_error, kArmJoints * 0.05 * 0.05);
  for (int axis = 0; axis < 3; ++axis) {
    EXPECT_NE(o[19 + axis], static_cast<float>(grip[axis]));
    EXPECT_FLOAT_EQ(o[22 + axis], static_cast<float>(arm.env().target()[axis]));
    // Relative vectors come from the noisy measurements.
    EXPECT_FLOAT_EQ(o[25 + axis], o[22 + axis] - o[19 + axis]);
  }
}

TEST(ArmRewardTest, ReachRewardsAndSuccessOnHandSetTargets) {
  ArmParams params = task_params("reach");
  Arm arm(params);
  const std::array<double, 3> grip = arm.grip();
  arm.env().set_target(grip);
  arm.observe();
  EXPECT_NEAR(arm.env().goal_distance(), 0, 1e-12);
  EXPECT_FLOAT_EQ(arm.env().reward(), 0);
  arm.env().set_target({grip[0] + 0.1, grip[1], grip[2]});
  EXPECT_NEAR(arm.env().goal_distance(), 0.1, 1e-9);
  EXPECT_FLOAT_EQ(arm.env().reward(), -0.1f);

  // Within 5 cm from the first step on: success at once, and at the end.
  arm.env().set_target({grip[0], grip[1], grip[2] + 0.03});
  for (int step = 0; step < 10; ++step) arm.hold();
  std::vector<float> kpis = arm.kpis();
  EXPECT_EQ(kpis[kSuccess], 1);
  EXPECT_NEAR(kpis[kTimeToSuccess], kPeriod, 1e-6);
  EXPECT_NEAR(kpis[kFinalDistance], 0.03, 0.01);

  // Never within: the time to success is the episode's length.
  arm.reset();
  const std::array<double, 3> start = arm.grip();
  arm.env().set_target({start[0], start[1] + 0.2, start[2]});
  for (int step = 0; step < 5; ++step) arm.hold();
  kpis = arm.kpis();
  EXPECT_EQ(kpis[kSuccess], 0);
  EXPECT_NEAR(kpis[kTimeToSuccess], 5 * kPeriod, 1e-6);
  EXPECT_NEAR(kpis[kFinalDistance], 0.2, 0.01);
}

TEST(ArmRewardTest, SparseRewardIsZeroWithinTheSuccessDistance) {
  ArmParams params = task_params("reach");
  params.reward = "sparse";
  Arm arm(params);
  const std::array<double, 3> grip = arm.grip();
  arm.env().set_target({grip[0], grip[1] + 0.049, grip[2]});
  EXPECT_EQ(arm.env().reward(), 0);
  arm.env().set_target({grip[0], grip[1] + 0.051, grip[2]});
  EXPECT_EQ(arm.env().reward(), -1);
}

TEST(ArmRewardTest, TheSuccessBonusIsPaidWithinTheSuccessDistance) {
  ArmParams params = task_params("reach");
  params.success_bonus = 0.3;
  Arm arm(params);
  const std::array<double, 3> grip = arm.grip();
  arm.env().set_target({grip[0], grip[1] + 0.04, grip[2]});
  EXPECT_FLOAT_EQ(arm.env().reward(), -0.04f + 0.3f);
  arm.env().set_target({grip[0], grip[1] + 0.06, grip[2]});
  EXPECT_FLOAT_EQ(arm.env().reward(), -0.06f);
}

TEST(ArmRewardTest, PushMeasuresTheBoxAndLeadsTheGripBehindIt) {
  Arm arm(task_params("push"));
  const std::array<double, 3> grip = arm.grip();
  mjtNum* box = arm.data().qpos + arm.model().layout().box_qpos;
  const auto place = [&](double box_y, double target_y) {
    box[0] = grip[0];
    box[1] = grip[1] + box_y;
    arm.env().set_target({grip[0], grip[1] + target_y, 0.025});
    arm.observe();
  };
  // The box is to go 10 cm in +y. The push point is half the box (2.5 cm)
  // and the fingertips' clearance (2 cm) behind its centre, at -y.
  place(0.1, 0.2);
  EXPECT_NEAR(arm.env().goal_distance(), 0.1, 1e-9);
  EXPECT_NEAR(arm.env().reward(), -0.1 - 0.5 * std::hypot(0.055, grip[2] - 0.025), 1e-5);

  place(0, 0);  // on the target
  for (int step = 0; step < 3; ++step) arm.hold();
  const std::vector<float> kpis = arm.kpis();
  EXPECT_EQ(kpis[kSuccess], 1);
  EXPECT_NEAR(kpis[kTimeToSuccess], kPeriod, 1e-6);
  EXPECT_LT(kpis[kFinalDistance], 0.005);
}

TEST(ArmRewardTest, PickPlaceRewardsApproachingTheBoxCentre) {
  Arm arm(task_params("pick_place"));
  mjtNum* box = arm.data().qpos + arm.model().layout().box_qpos;
  const std::array<double, 3>& target = arm.env().target();
  box[0] = target[0] - 0.06;
  box[1] = target[1];
  box[2] = target[2] - 0.08;
  arm.observe();
  EXPECT_NEAR(arm.env().goal_distance(), 0.1, 1e-9);
  const std::array<double, 3> grip = arm.grip();
  const double approach = std::hypot(box[0] - grip[0], box[1] - grip[1], box[2] - grip[2]);
  EXPECT_NEAR(arm.env().reward(), -0.1 - 0.5 * approach, 1e-5);
}

TEST(ArmRewardTest, BoxTasksDrawTargetsAwayFromTheBox) {
  for (const std::string task : {"push", "pick_place"}) {
    Arm arm(task_params(task));
    for (int episode = 0; episode < 50; ++episode) {
      arm.reset();
      EXPECT_GE(arm.env().goal_distance(), 0.1) << task;
      EXPECT_GE(arm.env().target()[2], 0.025 - 1e-12) << task;
    }
  }
}

TEST(ArmControlTest, PositionActionsMoveJointTargetsAndTorqueActionsSetTorques) {
  Arm position(task_params("reach"));
  const double start = position.data().ctrl[0];
  position.step({0.5f, 0, 0, 0, 0, 0, 1});
  EXPECT_NEAR(position.data().ctrl[0], start + 0.025, 1e-12);
  const ActuatedJoint& finger = position.model().layout().fingers[0];
  EXPECT_DOUBLE_EQ(position.data().ctrl[finger.actuator], finger.high);  // gripper fully open

  Arm torque(task_params("reach", "torque"));
  torque.step({0.5f, -2.0f, 0, 0, 0, 0, -1});
  EXPECT_DOUBLE_EQ(torque.data().ctrl[0], 20);   // half of 40 N m
  EXPECT_DOUBLE_EQ(torque.data().ctrl[1], -40);  // actions are clipped to [-1, 1]
  EXPECT_DOUBLE_EQ(torque.data().ctrl[finger.actuator], finger.low);
}

// Cartesian actions carry the grip point along a world axis, the gripper
// pointing down all the way: each step's joint targets follow the action.
TEST(ArmControlTest, CartesianActionsMoveTheGripAlongTheWorldAxes) {
  ArmParams params = task_params("reach", "cartesian");
  params.action_scale = 0.01;
  params.initial_joint_noise = 0;
  Arm arm(params);
  const auto pointing_down = [&] {
    return -arm.data().site_xmat[9 * arm.model().layout().grip_site + 8];  // the site's z, down
  };
  ASSERT_GT(pointing_down(), 0.99);
  for (int step = 0; step < 20; ++step) arm.hold();  // settled on its servos
  for (int axis = 0; axis < 3; ++axis) {
    SCOPED_TRACE(axis);
    const std::array<double, 3> start = arm.grip();
    std::vector<float> action(4, 0.0f);
    action[axis] = axis == 2 ? -1.0f : 1.0f;  // down, not up: z starts at the top of its reach
    for (int step = 0; step < 8; ++step) arm.step(action);
    for (int step = 0; step < 12; ++step) arm.hold();
    const std::array<double, 3> end = arm.grip();
    for (int other = 0; other < 3; ++other) {
      const double moved = end[other] - start[other];
      if (other == axis)
        EXPECT_NEAR(std::abs(moved), 0.08, 0.01);  // 8 steps of 1 cm
      else
        EXPECT_NEAR(moved, 0, 0.01);
    }
    EXPECT_GT(pointing_down(), 0.99);
  }
  // Down as far as it goes: to grip_min_height (2.5 cm, less the servos'
  // sag), the fingertips (1 cm below the grip) clear of the table.
  for (int step = 0; step < 40; ++step) arm.step({0, 0, -1, 0});
  for (int step = 0; step < 12; ++step) arm.hold();
  EXPECT_GT(arm.grip()[2], 0.012);
  EXPECT_LT(arm.grip()[2], params.grip_min_height);
}

TEST(ArmControlTest, LatencyDelaysActionsByWholeSteps) {
  ArmParams params = task_params("reach");
  params.control_latency_steps = 2;
  Arm arm(params);
  const double start = arm.data().ctrl[0];
  arm.step({1, 0, 0, 0, 0, 0, 0});
  EXPECT_DOUBLE_EQ(arm.data().ctrl[0], start);
  arm.hold();
  EXPECT_DOUBLE_EQ(arm.data().ctrl[0], start);
  arm.hold();
  EXPECT_NEAR(arm.data().ctrl[0], start + 0.05, 1e-12);
  arm.hold();
  EXPECT_NEAR(arm.data().ctrl[0], start + 0.05, 1e-12);
}

// The smallest scene the env accepts: one hinge, one finger and the grip site.
constexpr const char* kTinyArm = R"(<mujoco>
  <compiler autolimits="true"/>
  <worldbody>
    <body name="link">
      <joint name="hinge" axis="0 0 1"/>
      <geom type="capsule" fromto="0 0 0 0.3 0 0" size="0.02"/>
      <body name="finger_link" pos="0.3 0 0">
        <joint name="finger" type="slide" axis="0 1 0" range="0 0.04"/>
        <geom type="box" size="0.01 0.01 0.01"/>
        <site name="grip"/>
      </body>
    </body>
  </worldbody>
  <actuator>
    <position joint="hinge" kp="10" forcerange="-5 5"/>
    <position joint="finger" kp="10" ctrlrange="0 0.04"/>
  </actuator>
</mujoco>
)";

// A temporary folder with kTinyArm in it as tiny_arm.xml.
class SceneFolder {
 public:
  // One folder per process: ctest runs the tests that use it side by side.
  SceneFolder()
      : dir_(fs::temp_directory_path() / ("twinrl_arm_test_scenes_" + std::to_string(::getpid()))) {
    fs::create_directories(dir_);
    write("tiny_arm.xml", kTinyArm);
  }
  ~SceneFolder() { fs::remove_all(dir_); }
  const fs::path& dir() const { return dir_; }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name) << text;
  }

 private:
  fs::path dir_;
};

TEST(ArmStabilityTest, AHugeGainIsFlaggedAndTheEnvStartsOver) {
  // The finger servo has no force limit, so its gain makes explicit
  // integration blow up at once.
  const SceneFolder scenes;
  ArmParams params;
  params.model = scenes.path("tiny_arm.xml");
  params.physics.actuator_gain_scale = 1e9;
  Arm arm(params);
  StepStatus status;
  for (int step = 0; step < 5 && !status.truncated; ++step) status = arm.hold();
  ASSERT_TRUE(status.truncated);
  EXPECT_FALSE(status.terminated);
  EXPECT_TRUE(all_finite(arm.observation()));
  EXPECT_TRUE(std::isfinite(arm.reward()));
  EXPECT_EQ(arm.kpis()[kUnstable], 1);
  EXPECT_EQ(arm.kpis()[kSuccess], 0);
  arm.reset();
  EXPECT_EQ(arm.kpis()[kUnstable], 0);
  EXPECT_TRUE(all_finite(arm.observation()));
}

TEST(ArmStabilityTest, ANanActionEndsOnlyThatEnvsEpisode) {
  VecEnv runner(std::make_shared<ArmModel>(task_params("reach")),
                {.num_envs = 2, .threads = 1, .seed = 1});
  const BatchView& batch = runner.reset();
  std::vector<float> actions(2 * (kArmJoints + 1), 0.0f);
  actions[0] = std::numeric_limits<float>::quiet_NaN();
  runner.step({actions.data(), nullptr});
  EXPECT_TRUE(batch.truncated[0]);
  EXPECT_FALSE(batch.truncated[1]);
  EXPECT_EQ(batch.episode_kpis[kUnstable], 1);
  actions[0] = 0;
  for (int step = 0; step < 5; ++step) {
    runner.step({actions.data(), nullptr});
    EXPECT_FALSE(batch.truncated[0]);
  }
  const std::vector<float> observations(batch.observation,
                                        batch.observation + 2 * batch.observation_size);
  EXPECT_TRUE(all_finite(observations));
}

TEST(ArmStabilityTest, MujocoErrorsThrowInsteadOfExiting) {
  install_mujoco_handlers();
  EXPECT_THROW(mju_error("a test error"), MujocoError);
}

// Builds the Arm env from YAML `text` read as if from `dir`/arm.yaml; the
// ConfigError's message, or "built".
std::string build(const std::string& text, const fs::path& dir = fs::temp_directory_path()) {
  const EnvEntry entry = make_env_entry<ArmParams, ArmModel>("Arm", "");
  try {
    entry.build(parse_config_text(text, (dir / "arm.yaml").string()));
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "built";
}

TEST(ArmConfigTest, UsersOwnSceneIsFoundNextToTheConfig) {
  const SceneFolder scenes;
  const fs::path& dir = scenes.dir();
  EXPECT_EQ(build("model: tiny_arm.xml\n", dir), "built");
  ArmParams params;
  params.model = scenes.path("tiny_arm.xml");
  const ArmModel model(params);
  EXPECT_EQ(model.spec().observation_space.size(), 13);  // 3 * 1 + 10
  EXPECT_EQ(model.spec().action_names.front(), "hinge_target_change (1 = 0.05 rad)");

  std::string missing_grip = kTinyArm;
  missing_grip.replace(missing_grip.find("<site name=\"grip\"/>"), 19, "");
  scenes.write("no_grip.xml", missing_grip);
  EXPECT_PRED2(starts_with, build("model: no_grip.xml\n", dir),
               dir.string() + "/arm.yaml:1:8: model: " + dir.string() + "/no_grip.xml");
  EXPECT_PRED2(contains, build("model: no_grip.xml\n", dir), "no site named 'grip'");
  EXPECT_PRED2(contains, build("model: tiny_arm.xml\ntask: push\n", dir), "no body named 'box'");
}

TEST(ArmConfigTest, BadParametersNameTheirKey) {
  const std::string file = (fs::temp_directory_path() / "arm.yaml").string();
  EXPECT_PRED2(starts_with, build("model: no_such_arm.xml\n"),
               file + ":1:8: model: no MJCF file 'no_such_arm.xml' beside the config (" +
                   (fs::temp_directory_path() / "no_such_arm.xml").string() +
                   ") or among the built-in scenes (");
  EXPECT_EQ(build("target_low: [0, 0]\n"), file + ":1:13: target_low: expected [x, y, z]");
  EXPECT_EQ(build("box_low: [0.5, 0]\nbox_high: [0.4, 0.1]\n"),
            file + ":2:11: box_high: below box_low in coordinate 0");
  EXPECT_PRED2(starts_with, build("task: lift\n"), file + ":1:7: task: ");
  EXPECT_PRED2(starts_with, build("physics: {joint_damping_scale: -1}\n"),
               file + ":1:32: physics.joint_damping_scale: ");
}

TEST(ArmPhysicsTest, FixedParametersAreBakedIntoTheSharedModel) {
  const ArmModel file(task_params("push"));
  ArmParams params = task_params("push");
  params.physics.link_mass_scale = 2;
  params.physics.box_friction_scale = 0.5;
  const ArmModel scaled(params);
  const mjModel& a = *file.mujoco_model();
  const mjModel& b = *scaled.mujoco_model();
  const int box = scaled.layout().box_body;
  for (int body = 1; body < a.nbody; ++body)
    EXPECT_DOUBLE_EQ(b.body_mass[body], (body == box ? 1 : 2) * a.body_mass[body]);
  EXPECT_DOUBLE_EQ(b.geom_friction[3 * (a.ngeom - 1)], 0.5 * a.geom_friction[3 * (a.ngeom - 1)])
      << "the box's geom comes last in arm_box.xml";
  // Its physics is the model's: every env steps the shared model.
  const auto env = scaled.make_env();
  EXPECT_EQ(static_cast<const ArmEnv&>(*env).mujoco_model(), scaled.mujoco_model());
}

TEST(ArmPhysicsTest, TheBoxFrictionScaleActsBelowOneToo) {
  // A box sliding off at 0.5 m/s stops after v^2 / (2 mu g): about 1.3 cm on
  // mu = 1, twice that on half of it. (With the larger of two geoms'
  // frictions acting, as MuJoCo does without priorities, the table's 1 would
  // have held it to 1.3 cm whatever the scale below 1.)
  auto slide = [](double friction_scale) {
    ArmParams params = task_params("push");
    params.physics.box_friction_scale = friction_scale;
    Arm arm(params);
    mjtNum* box = arm.data().qpos + arm.model().layout().box_qpos;
    const double start[7] = {0.4, 0, 0.025, 1, 0, 0, 0};
    std::copy(start, start + 7, box);
    mjtNum* velocity = arm.data().qvel + arm.model().layout().box_dof;
    std::fill(velocity, velocity + 6, 0.0);
    velocity[0] = 0.5;
    arm.observe();
    for (int step = 0; step < 10; ++step) arm.hold();
    return box[0] - start[0];
  };
  const double full = slide(1), half = slide(0.5);
  EXPECT_NEAR(full, 0.25 / (2 * 9.81), 0.004);
  EXPECT_NEAR(half / full, 2, 0.3);
}

TEST(ArmPhysicsTest, RandomizedPhysicsGoesIntoEachEnvsOwnModel) {
  const ArmParams params = task_params("reach");
  const ArmModel model(params);
  const mjModel& file = *model.mujoco_model();
  std::vector<double> draws;
  for (uint64_t seed : {1, 2}) {
    Arm arm(params, seed, "physics.joint_damping_scale: [0.5, 2]\n");
    const mjModel& own = *arm.env().mujoco_model();
    ASSERT_NE(&own, arm.model().mujoco_model());
    const double scale = arm.env().params().physics.joint_damping_scale;
    EXPECT_GE(scale, 0.5);
    EXPECT_LE(scale, 2);
    for (const ActuatedJoint& joint : arm.model().layout().arm)
      EXPECT_DOUBLE_EQ(own.dof_damping[joint.dof], scale * file.dof_damping[joint.dof]);
    draws.push_back(scale);
  }
  EXPECT_NE(draws[0], draws[1]);

  Arm latency_only(params, 1, "control_latency_steps: [0, 3]\n");
  EXPECT_EQ(latency_only.env().mujoco_model(), latency_only.model().mujoco_model());
}

TEST(ArmPhysicsTest, PhysicsSetByNameTakesEffectAtTheNextReset) {
  Arm arm(task_params("reach"));
  const size_t damping = arm.model().parameters().index_of("physics.joint_damping_scale");
  arm.env().set_parameter(damping, 3);
  arm.reset();
  ASSERT_NE(arm.env().mujoco_model(), arm.model().mujoco_model());
  const ActuatedJoint& joint = arm.model().layout().arm.front();
  EXPECT_DOUBLE_EQ(arm.env().mujoco_model()->dof_damping[joint.dof],
                   3 * arm.model().mujoco_model()->dof_damping[joint.dof]);
}

TEST(ArmBaselineTest, ScriptedControllerSolvesTheTasks) {
  // The push leaves the box alone once it is on the target: 54% before, 91%
  // over 100 episodes after (bench/RESULTS.md).
  for (const auto& [task, episodes, least_successes] :
       {std::tuple{"reach", 10, 10}, std::tuple{"push", 20, 16}, std::tuple{"pick_place", 10, 8}}) {
    SCOPED_TRACE(task);
    ArmParams params = task_params(task);
    Arm arm(params);
    ASSERT_EQ(arm.model().baseline_names(), std::vector<std::string>{"scripted"});
    const auto policy = arm.model().make_baseline("scripted", 0);
    std::vector<float> action(kArmJoints + 1);
    int successes = 0;
    for (int episode = 0; episode < episodes; ++episode) {
      arm.reset();
      for (int step = 0; step < params.episode_steps; ++step) {
        policy->act(arm.env(), {action.data(), nullptr});
        arm.step(action);
      }
      successes += static_cast<int>(arm.kpis()[kSuccess]);
    }
    EXPECT_GE(successes, least_successes);
  }
  EXPECT_TRUE(ArmModel(task_params("reach", "torque")).baseline_names().empty());
}

TEST(ArmDeterminismTest, SameSeedSameTrajectoryForAnyThreadCount) {
  ArmParams params = task_params("push");
  params.observation_noise = 0.001;
  const auto model = make_model<ArmParams, ArmModel>(
      params, test_support::randomize("physics.link_mass_scale: [0.8, 1.2]\n"
                                      "physics.box_friction_scale: [0.5, 1.5]\n"
                                      "control_latency_steps: [0, 2]\n"));
  auto run = [&](int threads) {
    return test_support::record_run(model, {.num_envs = 4, .threads = threads, .seed = 3}, 120,
                                    test_support::random_actions(11));
  };
  const std::vector<float> one = run(1);
  EXPECT_EQ(one, run(2));
  EXPECT_EQ(one, run(4));
}

TEST(ArmCheckpointTest, ALoadedRunnerContinuesExactly) {
  ArmParams params = task_params("pick_place");
  params.control_latency_steps = 1;
  params.observation_noise = 0.001;
  // Past the end of the first episodes (100 steps): the restored ones end and restart alike.
  EXPECT_EQ(test_support::expect_save_load_continues_identically(
                make_model<ArmParams, ArmModel>(
                    params, test_support::randomize("physics.box_mass_scale: [0.5, 2]\n")),
                2, 12, 100, test_support::random_actions(9)),
            2);
}

}  // namespace
}  // namespace twinrl::robot

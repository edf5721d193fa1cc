#pragma once
// CartPole with the dynamics, limits and termination of Gymnasium's
// CartPole-v1 (Barto, Sutton and Anderson 1983): explicit Euler with tau 0.02 s,
// force 10 N, terminated past 12 degrees or 2.4 m, truncated after 500 steps,
// reward 1 on every step.
#include <array>
#include <numbers>

#include "core/env.h"

namespace twinrl {

struct CartPoleParams {
  double gravity = 9.8;
  double cart_mass = 1.0;
  double pole_mass = 0.1;
  double pole_half_length = 0.5;
  double force = 10.0;
  double tau = 0.02;
  double angle_limit_degrees = 12.0;
  double position_limit = 2.4;
  double reset_noise = 0.05;
  int max_episode_steps = 500;

  double angle_limit_rad() const { return angle_limit_degrees * std::numbers::pi / 180; }

  template <class Visitor>
  void visit(Visitor& v) {
    v("gravity", gravity, {.doc = "downward acceleration (m/s^2)", .min = 0.0});
    v("cart_mass", cart_mass, {.doc = "mass of the cart (kg)", .min = 1e-6});
    v("pole_mass", pole_mass, {.doc = "mass of the pole (kg)", .min = 1e-6});
    v("pole_half_length", pole_half_length, {.doc = "half the pole's length (m)", .min = 1e-6});
    v("force", force, {.doc = "force of a push (N)", .min = 0.0});
    v("tau", tau, {.doc = "control period and Euler step (s)", .min = 1e-6, .max = 1.0});
    v("angle_limit_degrees", angle_limit_degrees,
      {.doc = "the episode terminates past this pole angle", .min = 0.0, .max = 180.0});
    v("position_limit", position_limit,
      {.doc = "the episode terminates past this cart position (m)", .min = 0.0});
    v("reset_noise", reset_noise,
      {.doc = "initial state drawn uniformly from +-this", .min = 0.0, .max = 1.0});
    v("max_episode_steps", max_episode_steps,
      {.doc = "episodes are truncated after this many steps (0: never)", .min = 0});
  }
};

class CartPoleModel : public EnvModel {
 public:
  explicit CartPoleModel(const CartPoleParams& params);
  const CartPoleParams& params() const { return params_; }

 protected:
  std::unique_ptr<Env> create_env() const override;

 private:
  CartPoleParams params_;
};

class CartPoleEnv : public EnvWithParams<CartPoleParams> {
 public:
  // (cart position, cart velocity, pole angle, pole angular velocity)
  using State = std::array<double, 4>;

  explicit CartPoleEnv(const CartPoleModel& model) : EnvWithParams(model.params()) {}

  StepStatus step(const ActionRef& action, const EnvOutput& out) override;
  void episode_kpis(std::span<float> out) const override;
  // Scene: position_limit_m, pole_length_m, angle_limit_rad; state:
  // cart_position_m, pole_angle_rad (0 upright, positive leaning towards +x).
  void render_scene(nlohmann::json& scene) const override;
  void render_state(nlohmann::json& state) const override;

  const State& state() const { return state_; }
  void set_state(const State& state) { state_ = state; }

 protected:
  void reset_episode(const EnvOutput& out) override;
  void archive_state(StateArchive& state) override { state(state_, steps_); }

 private:
  void observe(float* observation) const;

  State state_{};
  int steps_ = 0;
};

}  // namespace twinrl

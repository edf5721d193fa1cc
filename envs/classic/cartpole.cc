#include "envs/classic/cartpole.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace twinrl {
namespace {

EnvSpec cartpole_spec(const CartPoleParams& params) {
  const float inf = std::numeric_limits<float>::infinity();
  const auto angle_limit = static_cast<float>(params.angle_limit_rad());
  const auto position_limit = static_cast<float>(params.position_limit);
  EnvSpec spec;
  spec.id = "CartPole";
  // As Gymnasium: twice the termination limits, so terminal states are inside.
  spec.observation_space = Space::box({-2 * position_limit, -inf, -2 * angle_limit, -inf},
                                      {2 * position_limit, inf, 2 * angle_limit, inf});
  spec.action_space = Space::discrete(2);
  spec.control_period_s = params.tau;
  spec.max_episode_steps = params.max_episode_steps;
  spec.kpi_names = {"balance_time_s", "final_position_m"};
  spec.observation_names = {"cart_position_m", "cart_velocity_m_per_s", "pole_angle_rad",
                            "pole_angular_velocity_rad_per_s"};
  spec.action_names = {"push (0: left, 1: right)"};
  return spec;
}

}  // namespace

CartPoleModel::CartPoleModel(const CartPoleParams& params)
    : EnvModel(cartpole_spec(params)), params_(params) {}

std::unique_ptr<Env> CartPoleModel::create_env() const {
  return std::make_unique<CartPoleEnv>(*this);
}

void CartPoleEnv::observe(float* observation) const {
  for (size_t i = 0; i < state_.size(); ++i) observation[i] = static_cast<float>(state_[i]);
}

void CartPoleEnv::reset_episode(const EnvOutput& out) {
  const double noise = params_.reset_noise;
  for (double& value : state_) value = rng_.uniform(-noise, noise);
  steps_ = 0;
  observe(out.observation);
}

StepStatus CartPoleEnv::step(const ActionRef& action, const EnvOutput& out) {
  const CartPoleParams& p = params_;
  const double total_mass = p.cart_mass + p.pole_mass;
  const double pole_mass_length = p.pole_mass * p.pole_half_length;
  auto& [x, x_dot, theta, theta_dot] = state_;

  const double force = action.discrete[0] == 1 ? p.force : -p.force;
  const double cos_theta = std::cos(theta);
  const double sin_theta = std::sin(theta);
  const double temp = (force + pole_mass_length * theta_dot * theta_dot * sin_theta) / total_mass;
  const double theta_acc =
      (p.gravity * sin_theta - cos_theta * temp) /
      (p.pole_half_length * (4.0 / 3.0 - p.pole_mass * cos_theta * cos_theta / total_mass));
  const double x_acc = temp - pole_mass_length * theta_acc * cos_theta / total_mass;

  x += p.tau * x_dot;
  x_dot += p.tau * x_acc;
  theta += p.tau * theta_dot;
  theta_dot += p.tau * theta_acc;
  ++steps_;

  observe(out.observation);
  out.reward[0] = 1.0f;
  const double angle_limit = p.angle_limit_rad();
  return {.terminated = x < -p.position_limit || x > p.position_limit || theta < -angle_limit ||
                        theta > angle_limit};
}

void CartPoleEnv::episode_kpis(std::span<float> out) const {
  out[0] = static_cast<float>(steps_ * params_.tau);
  out[1] = static_cast<float>(state_[0]);
}

void CartPoleEnv::render_scene(nlohmann::json& scene) const {
  const CartPoleParams& p = params_;
  scene = {{"position_limit_m", p.position_limit},
           {"pole_length_m", 2 * p.pole_half_length},
           {"angle_limit_rad", p.angle_limit_rad()}};
}

void CartPoleEnv::render_state(nlohmann::json& state) const {
  state = {{"cart_position_m", state_[0]}, {"pole_angle_rad", state_[2]}};
}

}  // namespace twinrl

#include "envs/box2d/amr_env.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include "envs/box2d/amr_planner.h"

namespace twinrl::amr {
namespace {

EnvSpec amr_spec(const AmrParams& params) {
  const ObservationLayout layout{params.lidar_rays};
  std::vector<float> low(layout.size(), -1.0f), high(layout.size(), 1.0f);
  EnvSpec spec;
  spec.id = "Amr";
  for (int ray = 0; ray < params.lidar_rays; ++ray) {
    low[ray] = 0;
    spec.observation_names.push_back("lidar_" + std::to_string(ray) + " (range / lidar_range_m)");
  }
  low[layout.goal_distance()] = 0;
  low[layout.route_distance()] = 0;
  for (const char* name :
       {"goal_distance (straight, m / distance scale)", "goal_bearing_cos", "goal_bearing_sin",
        "route_distance (shortest path, m / distance scale)", "waypoint_bearing_cos",
        "waypoint_bearing_sin", "forward_speed (/ max_linear_speed_m_s)",
        "turn_rate (/ max_angular_speed_rad_s)"})
    spec.observation_names.emplace_back(name);
  spec.observation_space = Space::box(std::move(low), std::move(high));
  spec.action_space = Space::box(2, -1.0f, 1.0f);
  spec.action_names = {"forward speed (x max_linear_speed_m_s, or max_reverse_speed_m_s below 0)",
                       "turn rate (x max_angular_speed_rad_s)"};
  spec.control_period_s = params.control_period_s;
  spec.max_episode_steps = params.max_episode_steps;
  spec.kpi_names = {"picks", "picks_per_hour", "collisions", "path_length_m",
                    "mean_time_per_pick_s"};
  return spec;
}

// An action number as a command in [-1, 1]; anything not finite stops.
float to_command(float action) {
  return std::isfinite(action) ? std::clamp(action, -1.0f, 1.0f) : 0;
}

// The bearing of `target` from `pose` as (cos, sin).
void write_bearing(const Pose& pose, b2Vec2 target, float* out) {
  const b2Vec2 offset = target - pose.position;
  const float angle = std::atan2(offset.y, offset.x) - pose.angle;
  out[0] = std::cos(angle);
  out[1] = std::sin(angle);
}

}  // namespace

AmrModel::AmrModel(const AmrParams& params)
    : EnvModel(amr_spec(params)),
      params_(params),
      floor_plan_(params.floor_plan()),
      distance_fields_(floor_plan_) {}

std::unique_ptr<Env> AmrModel::create_env() const {
  return std::make_unique<AmrEnv>(*this);
}

std::unique_ptr<BaselinePolicy> AmrModel::make_baseline(const std::string& name,
                                                        uint64_t seed) const {
  if (name == "planner") return std::make_unique<AmrPlanner>();
  return EnvModel::make_baseline(name, seed);
}

AmrEnv::AmrEnv(const AmrModel& model)
    : EnvWithParams(model.params()),
      model_(model),
      obstacles_(model.floor_plan(), model.distance_fields(), params_.num_people,
                 params_.num_other_robots),
      actions_(2 * static_cast<size_t>(params_.max_episode_steps)),
      lidar_(params_.lidar_rays),
      obstacle_bodies_(obstacles_.size()) {}

void AmrEnv::reset_episode(const EnvOutput& out) {
  start_rng_ = rng_.state();
  robot_placed_ = false;
  start_episode();
  observe(out.observation);
}

void AmrEnv::place_robot(const Pose& pose, const EnvOutput& out) {
  const int cell =
      model_.floor_plan().cell_at((1.0f / static_cast<float>(params_.cell_size_m)) * pose.position);
  if (cell < 0 || model_.floor_plan().solid(cell))
    throw std::invalid_argument("place_robot: the position is not in a free cell of the map");
  robot_placed_ = true;
  placed_pose_ = pose;
  start_episode();
  observe(out.observation);
}

void AmrEnv::start_episode() {
  rng_.set_state(start_rng_);
  const AmrFloorPlan& plan = model_.floor_plan();
  const auto cell_size = static_cast<float>(params_.cell_size_m);

  const std::vector<int>& starts = plan.start_cells();
  const int start_cell = starts[rng_.below(starts.size())];
  Pose start{cell_size * plan.center(start_cell),
             static_cast<float>(rng_.uniform(-std::numbers::pi, std::numbers::pi))};
  if (robot_placed_) start = placed_pose_;
  const std::vector<int>& picks = plan.pick_points();
  const auto pick_at_start = std::find(picks.begin(), picks.end(), start_cell);
  goal_ = pick_at_start == picks.end()
              ? static_cast<int>(rng_.below(picks.size()))
              : plan.other_pick_point(static_cast<int>(pick_at_start - picks.begin()), rng_);
  obstacles_.place(plan.cell_at((1.0f / cell_size) * start.position), params_, rng_,
                   obstacle_bodies_);
  world_.build(plan, cell_size, static_cast<float>(params_.robot_radius_m), start,
               obstacle_bodies_);

  steps_ = 0;
  picks_ = 0;
  last_pick_time_s_ = 0;
  collisions_ = 0;
  path_length_m_ = 0;
  last_route_distance_m_ = route_distance_m();
  scan();
}

LidarGeometry AmrEnv::lidar_geometry() const {
  return {static_cast<float>(params_.lidar_fov_degrees * std::numbers::pi / 180),
          static_cast<float>(params_.lidar_range_m)};
}

void AmrEnv::scan() {
  scan_lidar(world_.world(), world_.robot(), lidar_geometry(), lidar_);
}

b2Vec2 AmrEnv::goal_position() const {
  const AmrFloorPlan& plan = model_.floor_plan();
  return static_cast<float>(params_.cell_size_m) * plan.center(plan.pick_points()[goal_]);
}

b2Vec2 AmrEnv::waypoint() const {
  const auto cell_size = static_cast<float>(params_.cell_size_m);
  return cell_size *
         model_.distance_fields().waypoint(goal_, (1.0f / cell_size) * robot_pose().position);
}

float AmrEnv::route_distance_m() const {
  const auto cell_size = static_cast<float>(params_.cell_size_m);
  return cell_size *
         model_.distance_fields().path_distance(goal_, (1.0f / cell_size) * robot_pose().position);
}

StepStatus AmrEnv::step(const ActionRef& action, const EnvOutput& out) {
  if (steps_ < params_.max_episode_steps)
    std::copy_n(action.continuous, 2, actions_.begin() + 2 * static_cast<ptrdiff_t>(steps_));
  out.reward[0] = advance(action.continuous[0], action.continuous[1]);
  observe(out.observation);
  return {};
}

float AmrEnv::advance(float linear, float angular) {
  obstacles_.steer(world_, params_, rng_);
  const b2Vec2 before = robot_pose().position;
  const float forward = to_command(linear);
  world_.advance(forward * static_cast<float>(forward >= 0 ? params_.max_linear_speed_m_s
                                                           : params_.max_reverse_speed_m_s),
                 to_command(angular) * static_cast<float>(params_.max_angular_speed_rad_s),
                 static_cast<float>(params_.control_period_s), params_.physics_substeps);
  ++steps_;
  const b2Vec2 position = robot_pose().position;
  path_length_m_ += (position - before).Length();
  const int collisions = world_.new_collisions();
  collisions_ += collisions;

  const float route_distance = route_distance_m();
  float reward =
      static_cast<float>(params_.progress_reward) * (last_route_distance_m_ - route_distance) -
      static_cast<float>(params_.collision_penalty) * static_cast<float>(collisions) -
      static_cast<float>(params_.time_penalty);
  last_route_distance_m_ = route_distance;
  if ((goal_position() - position).Length() < params_.pick_radius_m) {
    ++picks_;
    last_pick_time_s_ = steps_ * params_.control_period_s;
    reward += static_cast<float>(params_.pick_reward);
    goal_ = model_.floor_plan().other_pick_point(goal_, rng_);
    last_route_distance_m_ = route_distance_m();
  }
  scan();
  return reward;
}

void AmrEnv::observe(float* observation) {
  const ObservationLayout layout = model_.observation_layout();
  std::copy(lidar_.begin(), lidar_.end(), observation);
  const Pose pose = robot_pose();
  const AmrFloorPlan& plan = model_.floor_plan();
  const double distance_scale = params_.cell_size_m * (plan.width() + plan.height());
  const auto scaled = [&](double distance_m) {
    return static_cast<float>(std::min(1.0, distance_m / distance_scale));
  };
  observation[layout.goal_distance()] = scaled((goal_position() - pose.position).Length());
  write_bearing(pose, goal_position(), observation + layout.goal_bearing());
  observation[layout.route_distance()] = scaled(last_route_distance_m_);
  write_bearing(pose, waypoint(), observation + layout.waypoint_bearing());
  observation[layout.forward_speed()] = std::clamp(
      world_.forward_speed() / static_cast<float>(params_.max_linear_speed_m_s), -1.0f, 1.0f);
  observation[layout.turn_rate()] = std::clamp(
      world_.turn_rate() / static_cast<float>(params_.max_angular_speed_rad_s), -1.0f, 1.0f);
}

void AmrEnv::episode_kpis(std::span<float> out) const {
  const double hours = steps_ * params_.control_period_s / 3600;
  out[0] = static_cast<float>(picks_);
  out[1] = hours > 0 ? static_cast<float>(picks_ / hours) : 0.0f;
  out[2] = static_cast<float>(collisions_);
  out[3] = static_cast<float>(path_length_m_);
  out[4] = picks_ > 0 ? static_cast<float>(last_pick_time_s_ / picks_) : 0.0f;
}

void AmrEnv::archive_state(StateArchive& state) {
  const Rng::State generator = rng_.state();  // when loading: the loaded one
  int steps = steps_;
  state(start_rng_, robot_placed_, placed_pose_, steps);
  if (steps < 0 || steps > params_.max_episode_steps)
    throw std::runtime_error(
        "Amr: an episode longer than max_episode_steps cannot be saved or loaded");
  state(std::span(actions_.data(), 2 * static_cast<size_t>(steps)));
  if (!state.loading()) return;
  start_episode();
  for (int step = 0; step < steps; ++step) advance(actions_[2 * step], actions_[2 * step + 1]);
  if (rng_.state() != generator)
    throw std::runtime_error("Amr: replaying the checkpoint's episode did not reach its state");
}

}  // namespace twinrl::amr

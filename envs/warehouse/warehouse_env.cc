#include "envs/warehouse/warehouse_env.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "core/samplers.h"
#include "envs/warehouse/greedy_dispatcher.h"

namespace twinrl::warehouse {
namespace {

EnvSpec warehouse_spec(const WarehouseParams& params, const Layout& layout) {
  EnvSpec spec;
  spec.id = "Warehouse";
  const ObservationWriter observation(layout, params.num_robots, params.sensor_range,
                                      params.global_features, params.observe_dispatcher);
  spec.observation_space = Space::box(observation.size(), -1.0f, 1.0f);
  spec.action_space = Space::discrete(kNumActions);
  spec.num_agents = params.num_robots;
  spec.control_period_s = params.control_period_s;
  spec.max_episode_steps = params.max_episode_steps;
  spec.has_action_mask = true;
  spec.kpi_names = {"orders_delivered", "deliveries_per_robot_hour", "mean_cycle_time_s",
                    "blocked_moves", "idle_fraction"};
  return spec;
}

}  // namespace

WarehouseModel::WarehouseModel(const WarehouseParams& params)
    : WarehouseModel(params, Layout::parse(params.layout_map())) {}

WarehouseModel::WarehouseModel(const WarehouseParams& params, Layout layout)
    : EnvModel(warehouse_spec(params, layout)), params_(params), layout_(std::move(layout)) {
  if (params.num_robots > std::ssize(layout_.start_cells()))
    throw std::invalid_argument("more robots than free cells to start from");
}

std::unique_ptr<Env> WarehouseModel::create_env() const {
  return std::make_unique<WarehouseEnv>(*this);
}

std::unique_ptr<BaselinePolicy> WarehouseModel::make_baseline(const std::string& name,
                                                              uint64_t seed) const {
  if (name == "greedy") return std::make_unique<GreedyDispatcher>();
  return EnvModel::make_baseline(name, seed);
}

WarehouseEnv::WarehouseEnv(const WarehouseModel& model)
    : EnvWithParams(model.params()),
      model_(model),
      awaiting_return_(params_.num_robots),
      pick_end_s_(params_.num_robots, -1.0),
      orders_(static_cast<int>(model.layout().shelf_cells().size()), params_.queue_size(),
              params_.max_backlog, params_.order_arrival_rates.empty()),
      resolver_(params_.num_robots, model.layout().num_cells()),
      observation_(model.layout(), params_.num_robots, params_.sensor_range,
                   params_.global_features, params_.observe_dispatcher),
      dispatcher_actions_(params_.observe_dispatcher ? params_.num_robots : 0),
      target_(params_.num_robots),
      moves_(params_.num_robots),
      forward_attempt_(params_.num_robots),
      start_pool_(model.layout().start_cells()) {
  const int robots = params_.num_robots;
  const int cells = model.layout().num_cells();
  floor_.robot_cell.resize(robots);
  floor_.robot_heading.resize(robots);
  floor_.robot_shelf.resize(robots);
  floor_.shelf_cell.resize(model.layout().shelf_cells().size());
  floor_.robot_at.resize(cells);
  floor_.shelf_at.resize(cells);
}

void WarehouseEnv::reset_episode(const EnvOutput& out) {
  const Layout& layout = model_.layout();

  std::fill(floor_.robot_at.begin(), floor_.robot_at.end(), kNone);
  std::fill(floor_.shelf_at.begin(), floor_.shelf_at.end(), kNone);
  for (int shelf = 0; shelf < std::ssize(floor_.shelf_cell); ++shelf) {
    floor_.shelf_cell[shelf] = layout.shelf_cells()[shelf];
    floor_.shelf_at[floor_.shelf_cell[shelf]] = shelf;
  }
  // Distinct random start cells: the first draws of a Fisher-Yates shuffle.
  std::copy(layout.start_cells().begin(), layout.start_cells().end(), start_pool_.begin());
  for (int robot = 0; robot < params_.num_robots; ++robot) {
    const auto pick = robot + static_cast<int>(rng_.below(start_pool_.size() - robot));
    std::swap(start_pool_[robot], start_pool_[pick]);
    floor_.robot_cell[robot] = start_pool_[robot];
    floor_.robot_at[start_pool_[robot]] = robot;
    floor_.robot_heading[robot] = static_cast<Heading>(rng_.below(kNumHeadings));
    floor_.robot_shelf[robot] = kNone;
  }
  std::fill(awaiting_return_.begin(), awaiting_return_.end(), 0);
  std::fill(pick_end_s_.begin(), pick_end_s_.end(), -1.0);

  steps_ = 0;
  delivered_ = 0;
  cycle_time_sum_s_ = 0;
  blocked_moves_ = 0;
  idle_robot_steps_ = 0;
  orders_.clear();
  if (params_.order_arrival_rates.empty()) orders_.fill(now_s(), rng_);
  observe(out);
}

int WarehouseEnv::requested_cell(int robot, int64_t action) {
  const int cell = floor_.robot_cell[robot];
  forward_attempt_[robot] = 0;
  if (action != kForward) return cell;
  const int next = model_.layout().ahead(cell, floor_.robot_heading[robot]);
  if (next == kNone || (floor_.loaded(robot) && floor_.has_standing_shelf(next))) {
    ++blocked_moves_;
    return cell;
  }
  if (params_.move_failure_probability > 0 && rng_.uniform() < params_.move_failure_probability) {
    forward_attempt_[robot] = 2;
    return cell;
  }
  forward_attempt_[robot] = 1;
  return next;
}

void WarehouseEnv::apply_moves() {
  // Vacate every cell first, so that robots in a chain can follow each other.
  for (int robot = 0; robot < params_.num_robots; ++robot) {
    if (!moves_[robot]) continue;
    floor_.robot_at[floor_.robot_cell[robot]] = kNone;
    if (floor_.loaded(robot)) floor_.shelf_at[floor_.robot_cell[robot]] = kNone;
  }
  for (int robot = 0; robot < params_.num_robots; ++robot) {
    if (!moves_[robot]) continue;
    const int cell = target_[robot];
    floor_.robot_cell[robot] = cell;
    floor_.robot_at[cell] = robot;
    if (const int shelf = floor_.robot_shelf[robot]; shelf != kNone) {
      floor_.shelf_cell[shelf] = cell;
      floor_.shelf_at[cell] = shelf;
    }
  }
}

bool WarehouseEnv::apply_in_place(int robot, int64_t action, float* reward) {
  const int cell = floor_.robot_cell[robot];
  switch (action) {
    case kTurnLeft:
      floor_.robot_heading[robot] = turned_left(floor_.robot_heading[robot]);
      return true;
    case kTurnRight:
      floor_.robot_heading[robot] = turned_right(floor_.robot_heading[robot]);
      return true;
    case kToggleLoad:
      if (!floor_.loaded(robot) && floor_.has_standing_shelf(cell)) {
        floor_.robot_shelf[robot] = floor_.shelf_at[cell];
        return true;
      }
      if (floor_.loaded(robot) && model_.layout().kind(cell) == CellKind::kShelf) {
        floor_.robot_shelf[robot] = kNone;
        if (awaiting_return_[robot]) reward[robot] += 0.5f * params_.delivery_reward;
        awaiting_return_[robot] = 0;
        return true;
      }
      return false;
    default:
      return false;
  }
}

double WarehouseEnv::pick_duration_s() {
  const double mean = params_.pick_time_s, cv = params_.pick_time_cv;
  if (mean <= 0 || cv <= 0) return mean;
  return gamma_variate(rng_, 1 / (cv * cv), mean * cv * cv);
}

void WarehouseEnv::deliver(float* reward) {
  const auto delivery_reward = static_cast<float>(params_.delivery_reward);
  // Pick ends are sums of floating-point seconds: one that falls within a hair
  // of a step's end ends with that step.
  const double now = now_s(), tolerance = 1e-9 * params_.control_period_s;
  for (int robot = 0; robot < params_.num_robots; ++robot) {
    const int shelf = floor_.robot_shelf[robot], cell = floor_.robot_cell[robot];
    if (!picking(robot)) {
      if (shelf == kNone || !orders_.is_requested(shelf) ||
          model_.layout().kind(cell) != CellKind::kPickStation)
        continue;
      pick_end_s_[robot] = now + pick_duration_s();
      if (events_)
        events_->pick(clock_s(), robot, cell, shelf, params_.start_time_s + pick_end_s_[robot]);
    }
    if (pick_end_s_[robot] > now + tolerance) continue;
    pick_end_s_[robot] = -1;
    cycle_time_sum_s_ += orders_.fulfil(shelf, now_s(), rng_);
    ++delivered_;
    if (params_.reward == "global") {
      for (int other = 0; other < params_.num_robots; ++other) reward[other] += delivery_reward;
    } else if (params_.reward == "two_stage") {
      reward[robot] += 0.5f * delivery_reward;
      awaiting_return_[robot] = 1;
    } else {
      reward[robot] += delivery_reward;
    }
  }
}

void WarehouseEnv::receive_orders() {
  const std::vector<double>& rates = params_.order_arrival_rates;
  if (rates.empty()) return;
  // The rate in force during the step that just ended.
  const double time_of_day = params_.start_time_s + now_s() - params_.control_period_s;
  const auto slot = static_cast<size_t>(time_of_day / params_.arrival_slot_s) % rates.size();
  const double mean = rates[slot] * params_.order_rate_scale * params_.control_period_s / 3600;
  for (int64_t order = poisson_variate(rng_, mean); order > 0; --order) {
    const int shelf = orders_.add(now_s(), rng_);
    if (events_) events_->order_received(clock_s() - params_.control_period_s, clock_s(), shelf);
  }
}

StepStatus WarehouseEnv::step(const ActionRef& action, const EnvOutput& out) {
  std::fill(out.reward, out.reward + params_.num_robots, 0.0f);
  // A robot waiting for its pick to end, or out of service, does nothing else.
  const auto action_of = [&](int robot) {
    return picking(robot) || down(robot) ? kNoop : action.discrete[robot];
  };
  for (int robot = 0; robot < params_.num_robots; ++robot)
    target_[robot] = requested_cell(robot, action_of(robot));
  resolver_.resolve(floor_.robot_cell, target_, floor_.robot_at, moves_);
  for (int robot = 0; robot < params_.num_robots; ++robot)
    if (target_[robot] != floor_.robot_cell[robot] && !moves_[robot]) ++blocked_moves_;
  apply_moves();
  for (int robot = 0; robot < params_.num_robots; ++robot) {
    const bool acted =
        moves_[robot] || picking(robot) || apply_in_place(robot, action_of(robot), out.reward);
    if (!acted) ++idle_robot_steps_;
  }
  ++steps_;
  if (events_)
    for (int robot = 0; robot < params_.num_robots; ++robot)
      if (forward_attempt_[robot])
        events_->forward_move(clock_s(), robot, floor_.robot_cell[robot],
                              forward_attempt_[robot] == 2 ? MoveOutcome::kFailed
                              : moves_[robot]              ? MoveOutcome::kMoved
                                                           : MoveOutcome::kBlocked);
  deliver(out.reward);
  receive_orders();
  observe(out);
  return {};
}

void WarehouseEnv::observe(const EnvOutput& out) {
  if (params_.observe_dispatcher)
    GreedyDispatcher().act(*this, {.discrete = dispatcher_actions_.data()});
  observation_.write(floor_, orders_, dispatcher_actions_.data(), out.observation);
  if (out.action_mask)
    for (int robot = 0; robot < params_.num_robots; ++robot)
      write_action_mask(robot, out.action_mask + static_cast<ptrdiff_t>(robot) * kNumActions);
}

void WarehouseEnv::write_action_mask(int robot, bool* mask) const {
  const int cell = floor_.robot_cell[robot];
  const int ahead = model_.layout().ahead(cell, floor_.robot_heading[robot]);
  const bool loaded = floor_.loaded(robot);
  mask[kNoop] = true;
  if (picking(robot) || down(robot)) {
    std::fill(mask + 1, mask + kNumActions, false);
    return;
  }
  mask[kForward] = ahead != kNone && !(loaded && floor_.has_standing_shelf(ahead));
  mask[kTurnLeft] = true;
  mask[kTurnRight] = true;
  mask[kToggleLoad] =
      loaded ? model_.layout().kind(cell) == CellKind::kShelf : floor_.has_standing_shelf(cell);
}

void WarehouseEnv::episode_kpis(std::span<float> out) const {
  const double robot_hours = params_.num_robots * now_s() / 3600;
  out[0] = static_cast<float>(delivered_);
  out[1] = robot_hours > 0 ? static_cast<float>(delivered_ / robot_hours) : 0.0f;
  out[2] = delivered_ > 0 ? static_cast<float>(cycle_time_sum_s_ / delivered_) : 0.0f;
  out[3] = static_cast<float>(blocked_moves_);
  out[4] = steps_ > 0 ? static_cast<float>(static_cast<double>(idle_robot_steps_) /
                                           (static_cast<double>(steps_) * params_.num_robots))
                      : 0.0f;
}

void WarehouseEnv::place_robot(int robot, int cell, Heading heading) {
  const int old_cell = floor_.robot_cell[robot];
  if (cell != old_cell && floor_.robot_at[cell] != kNone)
    throw std::invalid_argument("place_robot: the cell holds another robot");
  floor_.robot_at[old_cell] = kNone;
  floor_.robot_at[cell] = robot;
  floor_.robot_cell[robot] = cell;
  floor_.robot_heading[robot] = heading;
  if (const int shelf = floor_.robot_shelf[robot]; shelf != kNone) {
    floor_.shelf_at[old_cell] = kNone;
    floor_.shelf_at[cell] = shelf;
    floor_.shelf_cell[shelf] = cell;
  }
}

void WarehouseEnv::archive_state(StateArchive& state) {
  state(floor_.robot_cell, floor_.robot_heading, floor_.robot_shelf, floor_.shelf_cell,
        floor_.robot_at, floor_.shelf_at, awaiting_return_, pick_end_s_);
  orders_.archive(state);
  state(steps_, delivered_, cycle_time_sum_s_, blocked_moves_, idle_robot_steps_);
}

}  // namespace twinrl::warehouse

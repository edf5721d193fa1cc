#pragma once
// A grid warehouse where robots carry shelves to pick stations, with the rules
// of the multi-robot warehouse benchmark RWARE (Papoudakis et al. 2021): each
// robot turns, moves forward, or lifts and sets down the shelf it stands
// under; empty robots drive under standing shelves, loaded ones only along
// free cells; a requested shelf carried onto a pick station is delivered and
// another shelf is requested (or, with order_arrival_rates, the next waiting
// order); with a pick time the robot first waits at the station while the
// shelf is picked. Shelves go back down on shelf cells only.
#include <memory>
#include <string>
#include <vector>

#include "core/env.h"
#include "envs/warehouse/floor_state.h"
#include "envs/warehouse/layout.h"
#include "envs/warehouse/move_resolver.h"
#include "envs/warehouse/observation.h"
#include "envs/warehouse/order_book.h"
#include "envs/warehouse/warehouse_events.h"
#include "envs/warehouse/warehouse_params.h"

namespace twinrl::warehouse {

class WarehouseModel : public EnvModel {
 public:
  explicit WarehouseModel(const WarehouseParams& params);

  std::vector<std::string> baseline_names() const override { return {"greedy"}; }
  std::unique_ptr<BaselinePolicy> make_baseline(const std::string& name,
                                                uint64_t seed) const override;

  const WarehouseParams& params() const { return params_; }
  const Layout& layout() const { return layout_; }

 protected:
  std::unique_ptr<Env> create_env() const override;

 private:
  WarehouseModel(const WarehouseParams& params, Layout layout);

  WarehouseParams params_;
  Layout layout_;
};

class WarehouseEnv : public EnvWithParams<WarehouseParams> {
 public:
  explicit WarehouseEnv(const WarehouseModel& model);

  StepStatus step(const ActionRef& action, const EnvOutput& out) override;
  // orders_delivered, deliveries_per_robot_hour, mean_cycle_time_s,
  // blocked_moves, idle_fraction.
  void episode_kpis(std::span<float> out) const override;
  // The map and the robots, shelves and orders on it (warehouse_render.cc;
  // the keys are in envs/warehouse/README.md, "Render state").
  void render_scene(nlohmann::json& scene) const override;
  void render_state(nlohmann::json& state) const override;

  const WarehouseModel& model() const { return model_; }
  const FloorState& floor() const { return floor_; }
  const OrderBook& orders() const { return orders_; }

  // Puts `robot` (and the shelf it carries) in `cell` facing `heading`, for
  // tests and what-if scenarios. The cell must be free of other robots.
  void place_robot(int robot, int cell, Heading heading);
  // Writes the observations (and masks) of the current state.
  void observe(const EnvOutput& out);
  // Reports events to `observer` (or to nobody: nullptr) from now on; it
  // must outlive the env or be replaced first.
  void report_events_to(WarehouseEventObserver* observer) { events_ = observer; }
  // Whether `robot` waits at a pick station for its shelf's pick to end.
  bool picking(int robot) const { return pick_end_s_[robot] >= 0; }
  // Whether `robot` is out of service (robots_down): it stands still.
  bool down(int robot) const {
    return robot >= params_.num_robots - static_cast<int>(params_.robots_down);
  }

 protected:
  void reset_episode(const EnvOutput& out) override;
  void archive_state(StateArchive& state) override;

 private:
  // The cell `robot` asks to move to (its own if it cannot or does not move).
  int requested_cell(int robot, int64_t action);
  void apply_moves();
  // Turns, lifts and set-downs; returns whether the action changed anything.
  bool apply_in_place(int robot, int64_t action, float* reward);
  void deliver(float* reward);
  void receive_orders();
  void write_action_mask(int robot, bool* mask) const;
  double now_s() const { return steps_ * params_.control_period_s; }
  // The events' clock: now_s() from the time of day the episode started.
  double clock_s() const { return params_.start_time_s + now_s(); }
  // A pick's duration, drawn from the pick time's distribution.
  double pick_duration_s();

  const WarehouseModel& model_;
  FloorState floor_;
  std::vector<uint8_t> awaiting_return_;  // per robot: carries a delivered shelf (two_stage)
  std::vector<double> pick_end_s_;        // per robot: when its pick ends (now_s), or -1
  OrderBook orders_;

  int steps_ = 0;
  int delivered_ = 0;
  double cycle_time_sum_s_ = 0;
  int blocked_moves_ = 0;
  int64_t idle_robot_steps_ = 0;

  // Scratch of one step, sized once.
  MoveResolver resolver_;
  ObservationWriter observation_;
  std::vector<int64_t> dispatcher_actions_;  // per robot, with observe_dispatcher
  std::vector<int> target_;
  std::vector<uint8_t> moves_;
  // Per robot in this step: 0 no forward move the floor allows, 1 one asked
  // for, 2 one that failed (for the event log).
  std::vector<uint8_t> forward_attempt_;
  std::vector<int> start_pool_;
  WarehouseEventObserver* events_ = nullptr;
};

}  // namespace twinrl::warehouse

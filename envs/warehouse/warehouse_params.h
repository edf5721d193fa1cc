#pragma once
// The YAML parameters of the Warehouse env: floor plan, robots, orders,
// observation, reward, and the real-valued knobs a twin calibrates or randomizes.
#include <string>
#include <vector>

#include "config/config_node.h"
#include "config/schema.h"

namespace twinrl::warehouse {

struct WarehouseParams {
  std::string layout = "tiny";
  int shelf_rows = 1;
  int shelf_columns = 3;
  int column_height = 8;
  std::string map;
  int num_robots = 2;
  int request_queue_size = 0;
  int sensor_range = 1;
  bool global_features = true;
  bool observe_dispatcher = false;
  std::string reward = "individual";
  double delivery_reward = 1.0;
  double control_period_s = 1.0;
  int max_episode_steps = 500;
  std::vector<double> order_arrival_rates;
  double arrival_slot_s = 3600;
  double order_rate_scale = 1.0;
  double start_time_s = 0;
  int max_backlog = 1000;
  double move_failure_probability = 0;
  double pick_time_s = 0;
  double pick_time_cv = 0;
  double robots_down = 0;

  template <class Visitor>
  void visit(Visitor& v) {
    v("layout", layout,
      {.doc = "floor plan: an RWARE preset (tiny 11x10 cells, small 20x10, medium 20x16, large "
              "29x16), grid (from shelf_rows, shelf_columns, column_height) or map",
       .choices = {"tiny", "small", "medium", "large", "grid", "map"}});
    v("shelf_rows", shelf_rows, {.doc = "layout grid: rows of shelf blocks", .min = 1, .max = 50});
    v("shelf_columns", shelf_columns,
      {.doc = "layout grid: columns of shelf blocks (odd)", .min = 1, .max = 49});
    v("column_height", column_height,
      {.doc = "layout grid: shelves per block column", .min = 1, .max = 100});
    v("map", map,
      {.doc = "layout map: rows of x (shelf), . (aisle), g (pick station), # (wall), c (charger: "
              "robots start there)"});
    v("num_robots", num_robots, {.doc = "robots, one agent each", .min = 1, .max = 1000});
    v("request_queue_size", request_queue_size,
      {.doc = "shelves requested at once (0: num_robots)", .min = 0, .max = 100000});
    v("sensor_range", sensor_range,
      {.doc = "a robot sees the cells within this many steps", .min = 0, .max = 10});
    v("global_features", global_features,
      {.doc = "add offsets to the nearest pick station, requested shelf and free shelf cell to "
              "each observation"});
    v("observe_dispatcher", observe_dispatcher,
      {.doc = "add the greedy dispatcher's action for the robot (one-hot) to each observation, so "
              "that a policy learns on top of the dispatcher (residual learning); a controller "
              "then runs the dispatcher beside the policy"});
    v("reward", reward,
      {.doc = "individual: the delivering robot; global: every robot; two_stage: half on "
              "delivery, half on putting the shelf back",
       .choices = {"individual", "global", "two_stage"}});
    v("delivery_reward", delivery_reward, {.doc = "reward of one delivery", .min = 0});
    v("control_period_s", control_period_s,
      {.doc = "simulated seconds per step", .min = 1e-3, .max = 3600});
    v("max_episode_steps", max_episode_steps,
      {.doc = "episodes are truncated after this many steps (0: never)", .min = 0});
    v("order_arrival_rates", order_arrival_rates,
      {.doc = "orders per hour in consecutive slots of arrival_slot_s, repeating (e.g. 24 hourly "
              "rates for a day); empty: a delivered request is replaced at once",
       .min = 0});
    v("arrival_slot_s", arrival_slot_s,
      {.doc = "seconds covered by each order_arrival_rates entry", .min = 1});
    v("order_rate_scale", order_rate_scale,
      {.doc = "factor on every order_arrival_rates entry", .min = 0, .max = 100});
    v("start_time_s", start_time_s,
      {.doc = "time of day (s) at which an episode starts, for order_arrival_rates", .min = 0});
    v("max_backlog", max_backlog,
      {.doc = "orders that wait for a free request slot; later arrivals are dropped",
       .min = 0,
       .max = 1000000});
    v("move_failure_probability", move_failure_probability,
      {.doc = "chance that a forward move does not happen (slow or slipping robots)",
       .min = 0,
       .max = 1});
    v("pick_time_s", pick_time_s,
      {.doc = "mean seconds a robot waits at a pick station while its shelf is picked; the order "
              "counts as delivered when the pick ends (0: at once, as in RWARE)",
       .min = 0,
       .max = 86400});
    v("pick_time_cv", pick_time_cv,
      {.doc = "coefficient of variation of the pick time (gamma distributed; 0: always "
              "pick_time_s)",
       .min = 0,
       .max = 10});
    v("robots_down", robots_down,
      {.doc = "robots out of service: the highest-numbered ones stand still, their only action a "
              "no-op (rounded down to whole robots; real-valued so that a what-if window can take "
              "a robot down for part of an episode)",
       .min = 0,
       .max = 1000});
  }

  // The ASCII map that `layout` describes.
  std::string layout_map() const;
  // The number of simultaneously requested shelves.
  int queue_size() const { return request_queue_size > 0 ? request_queue_size : num_robots; }
  // Builds the layout to check it against the robots and the request queue.
  void validate(const ConfigNode& node) const;
};

}  // namespace twinrl::warehouse

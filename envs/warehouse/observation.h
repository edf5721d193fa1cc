#pragma once
// What each robot senses, as one flat vector of floats in [-1, 1]:
//   own state (9): x and y scaled to [0, 1], loaded, carrying a requested
//     shelf, heading one-hot (up, right, down, left), on a shelf cell;
//   the (2 sensor_range + 1)^2 cells around it, row by row, 9 each: wall or
//     outside, pick station, robot, its heading one-hot, shelf, requested shelf;
//   with global features (8): offsets (dx, dy, scaled by the grid size) to the
//     nearest pick station, to the nearest requested shelf still standing (and
//     whether there is one) and to the nearest free shelf cell (and whether
//     there is one), nearest by Manhattan distance;
//   with the dispatcher's action (5): the action the greedy dispatcher
//     (greedy_dispatcher.h) would take for this robot, one-hot, so that a
//     policy can learn on top of it (residual learning).
#include <cstdint>
#include <vector>

#include "envs/warehouse/floor_state.h"
#include "envs/warehouse/layout.h"
#include "envs/warehouse/order_book.h"

namespace twinrl::warehouse {

class ObservationWriter {
 public:
  ObservationWriter(const Layout& layout, int num_robots, int sensor_range, bool global_features,
                    bool dispatcher_action);

  int size() const { return size_; }
  // Writes every robot's observation: rows of size() floats. With the
  // dispatcher's action, `dispatcher_actions` holds one per robot.
  void write(const FloorState& floor, const OrderBook& orders, const int64_t* dispatcher_actions,
             float* out);

 private:
  void write_self(const FloorState& floor, const OrderBook& orders, int robot, float* out) const;
  void write_window(const FloorState& floor, const OrderBook& orders, int robot, float* out) const;
  void write_global(int robot_cell, float* out) const;
  // The offset from `from` to `to`, scaled by the grid size.
  void write_offset(int from, int to, float* out) const;
  // The cell among `cells` nearest to `from` (the first on ties), or kNone.
  int nearest(int from, const std::vector<int>& cells) const;

  const Layout& layout_;
  int sensor_range_;
  bool global_features_, dispatcher_action_;
  int size_;
  std::vector<int> waiting_shelf_cells_;  // requested shelves still standing
  std::vector<int> free_shelf_cells_;
};

}  // namespace twinrl::warehouse

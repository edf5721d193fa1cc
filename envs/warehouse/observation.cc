#include "envs/warehouse/observation.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

#include "envs/warehouse/grid.h"

namespace twinrl::warehouse {
namespace {

constexpr int kSelfSize = 9;
constexpr int kCellSize = 9;
constexpr int kGlobalSize = 8;

// Floats of the window of cells around a robot.
int window_size(int sensor_range) {
  return (2 * sensor_range + 1) * (2 * sensor_range + 1) * kCellSize;
}

}  // namespace

ObservationWriter::ObservationWriter(const Layout& layout, int num_robots, int sensor_range,
                                     bool global_features, bool dispatcher_action)
    : layout_(layout),
      sensor_range_(sensor_range),
      global_features_(global_features),
      dispatcher_action_(dispatcher_action),
      size_(kSelfSize + window_size(sensor_range) + (global_features ? kGlobalSize : 0) +
            (dispatcher_action ? static_cast<int>(kNumActions) : 0)) {
  waiting_shelf_cells_.reserve(layout.shelf_cells().size());
  // Free shelf cells are as many as carried shelves, so at most one per robot.
  free_shelf_cells_.reserve(num_robots);
}

void ObservationWriter::write(const FloorState& floor, const OrderBook& orders,
                              const int64_t* dispatcher_actions, float* out) {
  if (global_features_) {
    waiting_shelf_cells_.clear();
    for (int shelf : orders.requested_shelves())
      if (floor.has_standing_shelf(floor.shelf_cell[shelf]))
        waiting_shelf_cells_.push_back(floor.shelf_cell[shelf]);
    free_shelf_cells_.clear();
    for (int cell : layout_.shelf_cells())
      if (!floor.has_standing_shelf(cell)) free_shelf_cells_.push_back(cell);
  }
  std::fill(out, out + size_ * std::ssize(floor.robot_cell), 0.0f);
  for (int robot = 0; robot < std::ssize(floor.robot_cell); ++robot) {
    float* row = out + static_cast<ptrdiff_t>(robot) * size_;
    write_self(floor, orders, robot, row);
    float* next = row + kSelfSize;
    write_window(floor, orders, robot, next);
    next += window_size(sensor_range_);
    if (global_features_) {
      write_global(floor.robot_cell[robot], next);
      next += kGlobalSize;
    }
    if (dispatcher_action_) next[dispatcher_actions[robot]] = 1;
  }
}

void ObservationWriter::write_self(const FloorState& floor, const OrderBook& orders, int robot,
                                   float* out) const {
  const int cell = floor.robot_cell[robot];
  out[0] =
      static_cast<float>(layout_.x(cell)) / static_cast<float>(std::max(layout_.width() - 1, 1));
  out[1] =
      static_cast<float>(layout_.y(cell)) / static_cast<float>(std::max(layout_.height() - 1, 1));
  out[2] = floor.loaded(robot);
  out[3] = floor.loaded(robot) && orders.is_requested(floor.robot_shelf[robot]);
  out[4 + static_cast<int>(floor.robot_heading[robot])] = 1;
  out[8] = layout_.kind(cell) == CellKind::kShelf;
}

void ObservationWriter::write_window(const FloorState& floor, const OrderBook& orders, int robot,
                                     float* out) const {
  const int center_x = layout_.x(floor.robot_cell[robot]);
  const int center_y = layout_.y(floor.robot_cell[robot]);
  for (int y = center_y - sensor_range_; y <= center_y + sensor_range_; ++y) {
    for (int x = center_x - sensor_range_; x <= center_x + sensor_range_; ++x, out += kCellSize) {
      if (x < 0 || x >= layout_.width() || y < 0 || y >= layout_.height()) {
        out[0] = 1;
        continue;
      }
      const int cell = layout_.cell(x, y);
      out[0] = layout_.kind(cell) == CellKind::kWall;
      out[1] = layout_.kind(cell) == CellKind::kPickStation;
      if (const int other = floor.robot_at[cell]; other != kNone) {
        out[2] = 1;
        out[3 + static_cast<int>(floor.robot_heading[other])] = 1;
      }
      if (const int shelf = floor.shelf_at[cell]; shelf != kNone) {
        out[7] = 1;
        out[8] = orders.is_requested(shelf);
      }
    }
  }
}

void ObservationWriter::write_global(int robot_cell, float* out) const {
  write_offset(robot_cell, layout_.nearest_pick_station(robot_cell), out);
  if (const int shelf = nearest(robot_cell, waiting_shelf_cells_); shelf != kNone) {
    write_offset(robot_cell, shelf, out + 2);
    out[4] = 1;
  }
  if (const int free_cell = nearest(robot_cell, free_shelf_cells_); free_cell != kNone) {
    write_offset(robot_cell, free_cell, out + 5);
    out[7] = 1;
  }
}

void ObservationWriter::write_offset(int from, int to, float* out) const {
  out[0] = static_cast<float>(layout_.x(to) - layout_.x(from)) /
           static_cast<float>(std::max(layout_.width() - 1, 1));
  out[1] = static_cast<float>(layout_.y(to) - layout_.y(from)) /
           static_cast<float>(std::max(layout_.height() - 1, 1));
}

int ObservationWriter::nearest(int from, const std::vector<int>& cells) const {
  int best = kNone, best_distance = std::numeric_limits<int>::max();
  for (int cell : cells) {
    const int distance =
        std::abs(layout_.x(cell) - layout_.x(from)) + std::abs(layout_.y(cell) - layout_.y(from));
    if (distance < best_distance) {
      best_distance = distance;
      best = cell;
    }
  }
  return best;
}

}  // namespace twinrl::warehouse

#include "envs/box2d/amr_floor_plan.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace twinrl::amr {
namespace {

using warehouse::CellKind;
using warehouse::LayoutError;

// "row 3, column 5" of the map, 1-based as the Warehouse layout's messages.
std::string map_position(const AmrFloorPlan& plan, int cell) {
  return "map row " + std::to_string(plan.y(cell) + 1) + ", column " +
         std::to_string(plan.x(cell) + 1);
}

}  // namespace

AmrFloorPlan::AmrFloorPlan(const warehouse::Layout& layout, PickPointKind pick_points)
    : GridShape(layout.width(), layout.height()), solid_(layout.num_cells()) {
  for (int cell = 0; cell < num_cells(); ++cell) {
    const CellKind kind = layout.kind(cell);
    solid_[cell] = kind == CellKind::kShelf || kind == CellKind::kWall;
  }
  std::vector<bool> in_block(num_cells());
  for (int y = 0; y < height_; ++y)
    for (int x = 0; x < width_; ++x) {
      const int length = run_length(x, y);
      if (length == 0 || in_block[cell(x, y)]) continue;
      int rows = 1;
      while (y + rows < height_ && run_length(x, y + rows) == length) {
        in_block[cell(x, y + rows)] = true;
        ++rows;
      }
      solid_blocks_.push_back({x, y, length, rows});
    }

  for (int cell = 0; cell < num_cells(); ++cell) {
    if (solid_[cell]) continue;
    if (pick_points == PickPointKind::kStations) {
      if (layout.kind(cell) == CellKind::kPickStation) pick_points_.push_back(cell);
      continue;
    }
    constexpr int dx[] = {1, -1, 0, 0}, dy[] = {0, 0, 1, -1};
    for (int side = 0; side < 4; ++side) {
      const int nx = x(cell) + dx[side], ny = y(cell) + dy[side];
      if (inside(nx, ny) && layout.kind(this->cell(nx, ny)) == CellKind::kShelf) {
        pick_points_.push_back(cell);
        break;
      }
    }
  }
  if (pick_points_.size() < 2)
    throw LayoutError(pick_points == PickPointKind::kStations
                          ? "the map needs two pick stations (g) for pick_points: stations"
                          : "the map needs two free cells next to a shelf (x) to pick at");
  for (int cell : layout.start_cells())
    if (!solid_[cell]) start_cells_.push_back(cell);
  if (start_cells_.empty()) throw LayoutError("the map has no free cell to start from");
  check_connected();
}

int AmrFloorPlan::run_length(int x, int y) const {
  if (!solid_[cell(x, y)] || (x > 0 && solid_[cell(x - 1, y)])) return 0;
  int length = 1;
  while (x + length < width_ && solid_[cell(x + length, y)]) ++length;
  return length;
}

int AmrFloorPlan::cell_at(b2Vec2 point) const {
  const int cx = static_cast<int>(std::floor(point.x)), cy = static_cast<int>(std::floor(point.y));
  return inside(cx, cy) ? cell(cx, cy) : -1;
}

bool AmrFloorPlan::can_move(int from, int dx, int dy) const {
  const int fx = x(from), fy = y(from);
  const auto free = [&](int cx, int cy) { return inside(cx, cy) && !solid_[cell(cx, cy)]; };
  return free(fx + dx, fy + dy) && free(fx + dx, fy) && free(fx, fy + dy);
}

bool AmrFloorPlan::sweep_clear(b2Vec2 from, b2Vec2 to, float radius) const {
  constexpr float kSampleSpacing = 0.05f;  // cells between the positions checked
  const int samples = static_cast<int>(std::ceil((to - from).Length() / kSampleSpacing));
  for (int sample = 0; sample <= samples; ++sample) {
    const b2Vec2 point =
        samples == 0 ? from : from + (static_cast<float>(sample) / samples) * (to - from);
    const int low_x = static_cast<int>(std::floor(point.x - radius));
    const int high_x = static_cast<int>(std::floor(point.x + radius));
    const int low_y = static_cast<int>(std::floor(point.y - radius));
    const int high_y = static_cast<int>(std::floor(point.y + radius));
    for (int cy = low_y; cy <= high_y; ++cy)
      for (int cx = low_x; cx <= high_x; ++cx) {
        if (inside(cx, cy) && !solid_[cell(cx, cy)]) continue;
        // The nearest point of the cell's square.
        const b2Vec2 nearest(
            std::clamp(point.x, static_cast<float>(cx), static_cast<float>(cx + 1)),
            std::clamp(point.y, static_cast<float>(cy), static_cast<float>(cy + 1)));
        if ((nearest - point).LengthSquared() < radius * radius) return false;
      }
  }
  return true;
}

void AmrFloorPlan::check_connected() const {
  std::vector<bool> reached(num_cells());
  std::vector<int> frontier = {start_cells_[0]};
  reached[start_cells_[0]] = true;
  while (!frontier.empty()) {
    const int cell = frontier.back();
    frontier.pop_back();
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) {
        if (!can_move(cell, dx, dy)) continue;
        const int next = this->cell(x(cell) + dx, y(cell) + dy);
        if (!reached[next]) {
          reached[next] = true;
          frontier.push_back(next);
        }
      }
  }
  for (const std::vector<int>* cells : {&start_cells_, &pick_points_})
    for (int cell : *cells)
      if (!reached[cell])
        throw LayoutError(map_position(*this, cell) + " cannot be reached from " +
                          map_position(*this, start_cells_[0]) +
                          ": every start cell and pick point must be connected by free cells");
}

}  // namespace twinrl::amr

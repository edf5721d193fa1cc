#include "envs/box2d/amr_distance_fields.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numbers>
#include <queue>
#include <utility>

namespace twinrl::amr {
namespace {

constexpr float kInfinity = std::numeric_limits<float>::infinity();

float step_length(int dx, int dy) {
  return dx != 0 && dy != 0 ? std::numbers::sqrt2_v<float> : 1.0f;
}

// Calls visit(neighbour, dx, dy) for each neighbour a body may move to from `cell`.
template <class Visit>
void for_each_move(const AmrFloorPlan& plan, int cell, Visit visit) {
  for (int dy = -1; dy <= 1; ++dy)
    for (int dx = -1; dx <= 1; ++dx)
      if ((dx != 0 || dy != 0) && plan.can_move(cell, dx, dy))
        visit(plan.cell(plan.x(cell) + dx, plan.y(cell) + dy), dx, dy);
}

// Dijkstra from `source` over the moves of for_each_move, into `field`.
void fill_field(const AmrFloorPlan& plan, int source, float* field) {
  std::fill(field, field + plan.num_cells(), kInfinity);
  using Entry = std::pair<float, int>;  // (distance, cell), nearest first
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
  field[source] = 0;
  queue.push({0.0f, source});
  while (!queue.empty()) {
    const auto [distance, cell] = queue.top();
    queue.pop();
    if (distance > field[cell]) continue;
    for_each_move(plan, cell, [&](int next, int dx, int dy) {
      const float through = distance + step_length(dx, dy);
      if (through < field[next]) {
        field[next] = through;
        queue.push({through, next});
      }
    });
  }
}

}  // namespace

AmrDistanceFields::AmrDistanceFields(const AmrFloorPlan& plan)
    : plan_(plan), fields_(plan.pick_points().size() * plan.num_cells()) {
  for (size_t pick = 0; pick < plan.pick_points().size(); ++pick)
    fill_field(plan, plan.pick_points()[pick], fields_.data() + pick * plan.num_cells());
}

int AmrDistanceFields::free_cell_at(b2Vec2 point) const {
  const int cell = plan_.cell_at(point);
  if (cell >= 0 && !plan_.solid(cell)) return cell;
  int nearest = -1;
  float nearest_distance = kInfinity;
  for (int candidate = 0; candidate < plan_.num_cells(); ++candidate) {
    if (plan_.solid(candidate)) continue;
    const float distance = (plan_.center(candidate) - point).LengthSquared();
    if (distance < nearest_distance) {
      nearest = candidate;
      nearest_distance = distance;
    }
  }
  return nearest;
}

float AmrDistanceFields::path_distance(int pick, b2Vec2 point) const {
  const int cell = free_cell_at(point);
  float best = at(pick, cell) + (plan_.center(cell) - point).Length();
  for_each_move(plan_, cell, [&](int next, int, int) {
    best = std::min(best, at(pick, next) + (plan_.center(next) - point).Length());
  });
  return best;
}

int AmrDistanceFields::next_cell(int pick, int cell) const {
  if (at(pick, cell) == 0) return cell;
  int best = cell;
  float best_distance = kInfinity;
  for_each_move(plan_, cell, [&](int next, int dx, int dy) {
    const float distance = at(pick, next) + step_length(dx, dy);
    if (distance < best_distance) {
      best = next;
      best_distance = distance;
    }
  });
  return best;
}

b2Vec2 AmrDistanceFields::waypoint(int pick, b2Vec2 point) const {
  return plan_.center(next_cell(pick, free_cell_at(point)));
}

}  // namespace twinrl::amr

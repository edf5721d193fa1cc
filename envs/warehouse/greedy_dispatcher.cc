#include "envs/warehouse/greedy_dispatcher.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "envs/warehouse/warehouse_env.h"

namespace twinrl::warehouse {
namespace {

constexpr int kUnreached = std::numeric_limits<int>::max();

// Right of way: loaded robots, confined to the aisles, before empty ones,
// which can drive under shelves; then the lower-numbered robot.
bool has_right_of_way(const FloorState& floor, int robot, int other) {
  if (floor.loaded(robot) != floor.loaded(other)) return floor.loaded(robot);
  return robot < other;
}

// Breadth-first search over (cell, heading) states from one robot: the number
// of actions to reach each state and the first action of a shortest way there.
class RouteSearch {
 public:
  explicit RouteSearch(const Layout& layout)
      : layout_(layout),
        distance_(static_cast<size_t>(layout.num_cells()) * kNumHeadings),
        first_action_(distance_.size()),
        queue_(distance_.size()) {}

  // Searches from `robot`; loaded robots avoid standing shelves, and when
  // `yielding` the cells of robots with right of way over it are avoided too.
  void run(const FloorState& floor, int robot, bool yielding) {
    std::fill(distance_.begin(), distance_.end(), kUnreached);
    const int start = state(floor.robot_cell[robot], floor.robot_heading[robot]);
    distance_[start] = 0;
    size_t head = 0, tail = 0;
    queue_[tail++] = start;
    while (head < tail) {
      const int current = queue_[head++];
      const int cell = current / kNumHeadings;
      const auto heading = static_cast<Heading>(current % kNumHeadings);
      const int ahead = layout_.ahead(cell, heading);
      const int occupant = ahead == kNone ? kNone : floor.robot_at[ahead];
      const bool can_enter =
          ahead != kNone && !(floor.loaded(robot) && floor.has_standing_shelf(ahead)) &&
          !(yielding && occupant != kNone && has_right_of_way(floor, occupant, robot));
      const int next_states[] = {can_enter ? state(ahead, heading) : kNone,
                                 state(cell, turned_left(heading)),
                                 state(cell, turned_right(heading))};
      constexpr Action actions[] = {kForward, kTurnLeft, kTurnRight};
      for (int i = 0; i < 3; ++i) {
        const int next = next_states[i];
        if (next == kNone || distance_[next] != kUnreached) continue;
        distance_[next] = distance_[current] + 1;
        first_action_[next] = current == start ? actions[i] : first_action_[current];
        queue_[tail++] = next;
      }
    }
  }

  // Actions to reach `cell` with any heading (kUnreached if it cannot be).
  int distance(int cell) const {
    return std::ranges::min(std::span(distance_).subspan(cell * kNumHeadings, kNumHeadings));
  }
  // The first action towards `cell` (kNoop if there already or unreachable).
  Action first_action(int cell) const {
    int best = cell * kNumHeadings;
    for (int s = best + 1; s < (cell + 1) * kNumHeadings; ++s)
      if (distance_[s] < distance_[best]) best = s;
    return distance_[best] == 0 || distance_[best] == kUnreached ? kNoop : first_action_[best];
  }

 private:
  static int state(int cell, Heading heading) {
    return cell * kNumHeadings + static_cast<int>(heading);
  }

  const Layout& layout_;
  std::vector<int> distance_;
  std::vector<Action> first_action_;
  std::vector<int> queue_;
};

// Greedy matching: repeatedly the robot and target cell nearest to each other.
void match_nearest(const std::vector<int>& robots, const std::vector<int>& cells,
                   const std::vector<std::vector<int>>& distance_of_robot, std::vector<int>& goal) {
  std::vector<uint8_t> taken(cells.size()), matched(robots.size());
  for (size_t round = 0; round < std::min(robots.size(), cells.size()); ++round) {
    int best_robot = -1, best_cell = -1, best = kUnreached;
    for (size_t r = 0; r < robots.size(); ++r) {
      if (matched[r]) continue;
      for (size_t c = 0; c < cells.size(); ++c) {
        const int distance = distance_of_robot[robots[r]][cells[c]];
        if (!taken[c] && distance < best) {
          best = distance;
          best_robot = static_cast<int>(r);
          best_cell = static_cast<int>(c);
        }
      }
    }
    if (best_robot < 0) return;
    matched[best_robot] = taken[best_cell] = 1;
    goal[robots[best_robot]] = cells[best_cell];
  }
}

}  // namespace

void GreedyDispatcher::act(const Env& env, const ActionOutput& out) const {
  const auto& warehouse = static_cast<const WarehouseEnv&>(env);
  const Layout& layout = warehouse.model().layout();
  const FloorState& floor = warehouse.floor();
  const OrderBook& orders = warehouse.orders();
  const int num_robots = static_cast<int>(floor.robot_cell.size());

  // Distances from every robot, other robots ignored: they move.
  RouteSearch search(layout);
  std::vector<std::vector<int>> distance_of_robot(num_robots, std::vector<int>(layout.num_cells()));
  for (int robot = 0; robot < num_robots; ++robot) {
    search.run(floor, robot, false);
    for (int cell = 0; cell < layout.num_cells(); ++cell)
      distance_of_robot[robot][cell] = search.distance(cell);
  }

  // Goals: pick stations for requested shelves; shelves and free shelf cells matched greedily.
  std::vector<int> goal(num_robots, kNone), empty_robots, returning_robots;
  for (int robot = 0; robot < num_robots; ++robot) {
    if (!floor.loaded(robot)) {
      empty_robots.push_back(robot);
    } else if (!orders.is_requested(floor.robot_shelf[robot])) {
      returning_robots.push_back(robot);
    } else {
      // The nearest pick station, preferring one no other robot stands on.
      auto rank = [&](int station) {
        const int occupant = floor.robot_at[station];
        return std::pair(occupant != kNone && occupant != robot, distance_of_robot[robot][station]);
      };
      for (int station : layout.pick_stations())
        if (goal[robot] == kNone || rank(station) < rank(goal[robot])) goal[robot] = station;
    }
  }
  std::vector<int> waiting_shelves, free_shelf_cells;
  for (int shelf : orders.requested_shelves())
    if (floor.has_standing_shelf(floor.shelf_cell[shelf]))
      waiting_shelves.push_back(floor.shelf_cell[shelf]);
  for (int cell : layout.shelf_cells())
    if (!floor.has_standing_shelf(cell)) free_shelf_cells.push_back(cell);
  match_nearest(empty_robots, waiting_shelves, distance_of_robot, goal);
  match_nearest(returning_robots, free_shelf_cells, distance_of_robot, goal);

  for (int robot = 0; robot < num_robots; ++robot) {
    const int target = goal[robot];
    if (target == kNone) {
      out.discrete[robot] = kNoop;
    } else if (target == floor.robot_cell[robot]) {
      // On a requested shelf or a free shelf cell; at a pick station delivery is automatic.
      out.discrete[robot] = layout.kind(target) == CellKind::kShelf ? kToggleLoad : kNoop;
    } else {
      // Robots route around those with right of way if they can, else wait
      // for them to move. Routing around every robot would let two robots
      // dodge each other forever.
      search.run(floor, robot, true);
      if (search.distance(target) == kUnreached) search.run(floor, robot, false);
      out.discrete[robot] = search.first_action(target);
    }
  }
}

}  // namespace twinrl::warehouse

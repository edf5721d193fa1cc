#include "envs/warehouse/greedy_dispatcher.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <tuple>
#include <vector>

#include "envs/warehouse/warehouse_env.h"

namespace twinrl::warehouse {
namespace {

constexpr int kUnreached = std::numeric_limits<int>::max();

// Breadth-first search over (cell, heading) states from one robot: the number
// of actions to reach each state, the first action of a shortest way there,
// and the way itself.
class RouteSearch {
 public:
  explicit RouteSearch(const Layout& layout)
      : layout_(layout),
        distance_(static_cast<size_t>(layout.num_cells()) * kNumHeadings),
        first_action_(distance_.size()),
        previous_(distance_.size()),
        queue_(distance_.size()) {}

  // Searches from `robot`; loaded robots avoid standing shelves, and every
  // robot avoids the cells marked in `avoid` (if given). With `any_heading`
  // the robot may start facing any way: distances that a turn does not change
  // (for matching robots to targets).
  void run(const FloorState& floor, int robot, const std::vector<uint8_t>* avoid,
           bool any_heading = false) {
    std::fill(distance_.begin(), distance_.end(), kUnreached);
    size_t head = 0, tail = 0;
    const int start = state(floor.robot_cell[robot], floor.robot_heading[robot]);
    for (int h = 0; h < kNumHeadings; ++h) {
      const int first =
          any_heading ? state(floor.robot_cell[robot], static_cast<Heading>(h)) : start;
      if (distance_[first] == 0) continue;
      distance_[first] = 0;
      previous_[first] = kNone;
      queue_[tail++] = first;
    }
    while (head < tail) {
      const int current = queue_[head++];
      const int cell = current / kNumHeadings;
      const auto heading = static_cast<Heading>(current % kNumHeadings);
      const int ahead = layout_.ahead(cell, heading);
      const bool can_enter = ahead != kNone &&
                             !(floor.loaded(robot) && floor.has_standing_shelf(ahead)) &&
                             !(avoid && (*avoid)[ahead]);
      const int next_states[] = {can_enter ? state(ahead, heading) : kNone,
                                 state(cell, turned_left(heading)),
                                 state(cell, turned_right(heading))};
      constexpr Action actions[] = {kForward, kTurnLeft, kTurnRight};
      for (int i = 0; i < 3; ++i) {
        const int next = next_states[i];
        if (next == kNone || distance_[next] != kUnreached) continue;
        distance_[next] = distance_[current] + 1;
        first_action_[next] = distance_[current] == 0 ? actions[i] : first_action_[current];
        previous_[next] = current;
        queue_[tail++] = next;
      }
    }
  }

  // Actions to reach `cell` with any heading (kUnreached if it cannot be).
  int distance(int cell) const { return distance_[nearest_state(cell)]; }
  // The first action towards `cell` (kNoop if there already or unreachable).
  Action first_action(int cell) const {
    const int best = nearest_state(cell);
    return distance_[best] == 0 || distance_[best] == kUnreached ? kNoop : first_action_[best];
  }
  // Marks the cells of the way to `cell` (reachable), this robot's included.
  void mark_way(int cell, std::vector<uint8_t>& marks) const {
    for (int s = nearest_state(cell); s != kNone; s = previous_[s]) marks[s / kNumHeadings] = 1;
  }
  // The reachable cell nearest to the robot that `marks` leaves unmarked, or kNone.
  int nearest_unmarked(const std::vector<uint8_t>& marks) const {
    int best = kNone;
    for (int cell = 0; cell < layout_.num_cells(); ++cell)
      if (!marks[cell] && distance(cell) != kUnreached &&
          (best == kNone || distance(cell) < distance(best)))
        best = cell;
    return best;
  }

 private:
  static int state(int cell, Heading heading) {
    return cell * kNumHeadings + static_cast<int>(heading);
  }
  int nearest_state(int cell) const {
    int best = cell * kNumHeadings;
    for (int s = best + 1; s < (cell + 1) * kNumHeadings; ++s)
      if (distance_[s] < distance_[best]) best = s;
    return best;
  }

  const Layout& layout_;
  std::vector<int> distance_;
  std::vector<Action> first_action_;
  std::vector<int> previous_;
  std::vector<int> queue_;
};

// Greedy matching: repeatedly the robot and target cell nearest to each other.
// A cell another robot stands in is nobody else's target (a robot that has
// just lifted a shelf stands in the cell its shelf leaves free, and may be
// leaving through the only way in).
void match_nearest(const FloorState& floor, const std::vector<int>& robots,
                   const std::vector<int>& cells,
                   const std::vector<std::vector<int>>& distance_of_robot, std::vector<int>& goal) {
  std::vector<uint8_t> taken(cells.size()), matched(robots.size());
  for (size_t round = 0; round < std::min(robots.size(), cells.size()); ++round) {
    int best_robot = -1, best_cell = -1, best = kUnreached;
    for (size_t r = 0; r < robots.size(); ++r) {
      if (matched[r]) continue;
      for (size_t c = 0; c < cells.size(); ++c) {
        const int occupant = floor.robot_at[cells[c]];
        if (occupant != kNone && occupant != robots[r]) continue;
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

  // Distances from every robot, other robots ignored (they move), and so is
  // the robot's heading: a turn towards one target must not make another
  // nearer, or the matching below would swap targets at every step.
  RouteSearch search(layout);
  std::vector<std::vector<int>> distance_of_robot(num_robots, std::vector<int>(layout.num_cells()));
  for (int robot = 0; robot < num_robots; ++robot) {
    search.run(floor, robot, nullptr, true);
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
  match_nearest(floor, empty_robots, waiting_shelves, distance_of_robot, goal);
  match_nearest(floor, returning_robots, free_shelf_cells, distance_of_robot, goal);

  // Right of way, as a priority order: robots with somewhere to go before idle
  // ones, loaded robots (confined to the aisles) before empty ones (which can
  // drive under shelves), then the lower-numbered robot. Robots are routed in
  // that order, each around the cells of those before it and, where it can,
  // off their ways too; one that has no way and stands on a way before it
  // pulls over to the nearest cell off those ways (two robots meeting head-on
  // in a one-wide aisle would otherwise wait for each other forever); one that
  // has no way and is in nobody's way waits.
  std::vector<int> order(num_robots);
  std::iota(order.begin(), order.end(), 0);
  std::ranges::sort(order, {}, [&](int robot) {
    return std::tuple(goal[robot] == kNone, !floor.loaded(robot), robot);
  });
  std::vector<uint8_t> taken_cells(layout.num_cells()), taken_ways(layout.num_cells());
  std::vector<uint8_t> avoided(layout.num_cells());
  for (int robot : order) {
    const int here = floor.robot_cell[robot], target = goal[robot];
    Action action = kNoop;
    bool moving = false;
    if (target == here) {
      // On a requested shelf or a free shelf cell; at a pick station delivery is automatic.
      action = layout.kind(target) == CellKind::kShelf ? kToggleLoad : kNoop;
    } else if (target != kNone) {
      for (int cell = 0; cell < layout.num_cells(); ++cell)
        avoided[cell] = taken_cells[cell] | taken_ways[cell];
      search.run(floor, robot, &avoided);
      if (search.distance(target) == kUnreached) search.run(floor, robot, &taken_cells);
      moving = search.distance(target) != kUnreached;
      if (moving) {
        action = search.first_action(target);
        search.mark_way(target, taken_ways);
      }
    }
    if (!moving && target != here && taken_ways[here]) {
      // Around the earlier robots' cells: the search just run, if it had a target.
      if (target == kNone) search.run(floor, robot, &taken_cells);
      const int refuge = search.nearest_unmarked(taken_ways);
      if (refuge != kNone) {
        action = search.first_action(refuge);
        search.mark_way(refuge, taken_ways);
      }
    }
    taken_cells[here] = 1;
    out.discrete[robot] = action;
  }
}

}  // namespace twinrl::warehouse

#include "envs/warehouse/greedy_dispatcher.h"

#include <algorithm>
#include <array>
#include <limits>
#include <numeric>
#include <tuple>
#include <vector>

#include "envs/warehouse/warehouse_env.h"

namespace twinrl::warehouse {
namespace {

constexpr int kUnreached = std::numeric_limits<int>::max();

// Anywhere off the walls for an empty robot (it drives under shelves); a
// loaded robot cannot enter a cell with a standing shelf.
bool can_enter(const FloorState& floor, int robot, int cell) {
  return !(floor.loaded(robot) && floor.has_standing_shelf(cell));
}

// Turns needed before `heading` faces `towards`: 0, 1 or 2.
int turns_between(Heading heading, Heading towards) {
  const int difference =
      (static_cast<int>(towards) - static_cast<int>(heading) + kNumHeadings) % kNumHeadings;
  return difference == 3 ? 1 : difference;
}

// What one call of the dispatcher works in; kept per thread so that a step
// allocates nothing once the buffers have grown to the floor's size.
struct Scratch {
  std::vector<int> distance_of_robot;  // robot-major: moves from each robot to each cell
  std::vector<int> distance_to_goal;   // robot-major: moves from each cell to the robot's goal
  std::vector<int> queue;
  std::vector<uint8_t> out_of_service;  // per cell: a robot out of service stands there
  std::vector<int> goal, empty_robots, returning_robots, waiting_shelves, free_shelf_cells;
  std::vector<uint8_t> taken, matched;
  std::vector<int> order, claimed, next_cell;
  std::vector<uint8_t> planned, moves;
};

// Breadth-first distances in moves between `from` and every cell `robot` may
// enter, turns and the robots in service ignored (they move). Moves on the
// grid are symmetric, so these are the distances both from `from` and to it.
void distances(const Layout& layout, const FloorState& floor, int robot, int from, int* distance,
               Scratch& s) {
  std::vector<int>& queue = s.queue;
  std::fill(distance, distance + layout.num_cells(), kUnreached);
  queue.clear();
  distance[from] = 0;
  queue.push_back(from);
  for (size_t head = 0; head < queue.size(); ++head) {
    const int cell = queue[head];
    for (int h = 0; h < kNumHeadings; ++h) {
      const int next = layout.ahead(cell, static_cast<Heading>(h));
      if (next == kNone || distance[next] != kUnreached || s.out_of_service[next] ||
          !can_enter(floor, robot, next))
        continue;
      distance[next] = distance[cell] + 1;
      queue.push_back(next);
    }
  }
}

// Greedy matching: repeatedly the robot and target cell nearest to each other.
// A cell another robot stands in is nobody else's target (a robot that has
// just lifted a shelf stands in the cell its shelf leaves free, and may be
// leaving through the only way in).
void match_nearest(const FloorState& floor, const std::vector<int>& robots,
                   const std::vector<int>& cells, int num_cells, Scratch& s) {
  s.taken.assign(cells.size(), 0);
  s.matched.assign(robots.size(), 0);
  for (size_t round = 0; round < std::min(robots.size(), cells.size()); ++round) {
    int best_robot = -1, best_cell = -1, best = kUnreached;
    for (size_t r = 0; r < robots.size(); ++r) {
      if (s.matched[r]) continue;
      const int* distance = s.distance_of_robot.data() + static_cast<size_t>(robots[r]) * num_cells;
      for (size_t c = 0; c < cells.size(); ++c) {
        const int occupant = floor.robot_at[cells[c]];
        if (s.taken[c] || (occupant != kNone && occupant != robots[r])) continue;
        if (distance[cells[c]] < best) {
          best = distance[cells[c]];
          best_robot = static_cast<int>(r);
          best_cell = static_cast<int>(c);
        }
      }
    }
    if (best_robot < 0) return;
    s.matched[best_robot] = s.taken[best_cell] = 1;
    s.goal[robots[best_robot]] = cells[best_cell];
  }
}

// One step of Priority Inheritance with Backtracking (PIBT; Okumura et al.,
// Artificial Intelligence 310, 2022), on cells with headings: robots in
// priority order each claim the cell, among their own and its neighbours,
// nearest their goal that nobody has claimed. A robot standing in a claimed
// cell must then move out first, planned at once with the claimant's
// priority and never into the claimant's cell (robots cannot swap); if it
// cannot, it stays and the claimant tries its next cell. The robot with the
// highest priority so always gets closer to its goal when the floor leaves
// room, however the others stand: robots meeting head-on in an aisle, or one
// boxed in between two, are pushed back to where they can let it by.
class StepPlanner {
 public:
  StepPlanner(const Layout& layout, const FloorState& floor, Scratch& s)
      : layout_(layout), floor_(floor), s_(s) {
    const auto num_robots = floor.robot_cell.size();
    s.claimed.assign(layout.num_cells(), kNone);
    s.next_cell.assign(num_robots, kNone);
    s.planned.assign(num_robots, 0);
  }

  // `robot` stays where it is (picking, or out of service).
  void hold(int robot) {
    s_.planned[robot] = 1;
    s_.next_cell[robot] = floor_.robot_cell[robot];
    s_.claimed[floor_.robot_cell[robot]] = robot;
  }
  void plan(int robot) {
    if (!s_.planned[robot]) push(robot, kNone);
  }
  int next_cell(int robot) const { return s_.next_cell[robot]; }

  // The cells `robot` can be in after one step, best first: nearer its goal,
  // then fewer turns away, then staying before moving.
  int candidates(int robot, std::array<int, kNumHeadings + 1>& cells) const {
    const int here = floor_.robot_cell[robot];
    const int* to_goal = goal_distances(robot);
    std::array<std::tuple<int, int, int, int>, kNumHeadings + 1> ranked;
    int count = 0;
    ranked[count++] = {to_goal[here], 0, 0, here};
    for (int h = 0; h < kNumHeadings; ++h) {
      const auto heading = static_cast<Heading>(h);
      const int cell = layout_.ahead(here, heading);
      if (cell == kNone || !can_enter(floor_, robot, cell)) continue;
      ranked[count++] = {to_goal[cell], turns_between(floor_.robot_heading[robot], heading), 1,
                         cell};
    }
    // Insertion sort: at most five cells (and std::sort trips GCC's bounds warning here).
    for (int i = 1; i < count; ++i)
      for (int j = i; j > 0 && ranked[j] < ranked[j - 1]; --j) std::swap(ranked[j], ranked[j - 1]);
    for (int i = 0; i < count; ++i) cells[i] = std::get<3>(ranked[i]);
    return count;
  }

 private:
  const int* goal_distances(int robot) const {
    return s_.distance_to_goal.data() + static_cast<size_t>(robot) * layout_.num_cells();
  }

  // Plans `robot`, pushed out of its cell by the robot in `pusher_cell` (or
  // by nobody: kNone); false if it must stay.
  bool push(int robot, int pusher_cell) {
    s_.planned[robot] = 1;
    const int here = floor_.robot_cell[robot];
    std::array<int, kNumHeadings + 1> cells;
    const int count = candidates(robot, cells);
    for (int i = 0; i < count; ++i) {
      const int cell = cells[i];
      if (s_.claimed[cell] != kNone || cell == pusher_cell) continue;
      s_.claimed[cell] = robot;
      s_.next_cell[robot] = cell;
      const int occupant = floor_.robot_at[cell];
      // A pushed robot that cannot move claims its own cell back.
      if (occupant != kNone && occupant != robot && !s_.planned[occupant] && !push(occupant, here))
        continue;
      return true;
    }
    s_.claimed[here] = robot;
    s_.next_cell[robot] = here;
    return false;
  }

  const Layout& layout_;
  const FloorState& floor_;
  Scratch& s_;
};

// The action that takes `robot` towards `cell` next to it: forward if it
// faces the cell, else the turn towards it.
Action towards(const Layout& layout, const FloorState& floor, int robot, int cell) {
  const Heading heading = floor.robot_heading[robot];
  const int here = floor.robot_cell[robot];
  if (layout.ahead(here, heading) == cell) return kForward;
  return layout.ahead(here, turned_left(heading)) == cell ? kTurnLeft : kTurnRight;
}

}  // namespace

void GreedyDispatcher::act(const Env& env, const ActionOutput& out) const {
  const auto& warehouse = static_cast<const WarehouseEnv&>(env);
  const Layout& layout = warehouse.model().layout();
  const FloorState& floor = warehouse.floor();
  const OrderBook& orders = warehouse.orders();
  const int num_robots = static_cast<int>(floor.robot_cell.size());
  const int num_cells = layout.num_cells();
  thread_local Scratch s;
  const auto stands_still = [&](int robot) {
    return warehouse.picking(robot) || warehouse.down(robot);
  };

  // Distances from every robot, its heading ignored: a turn towards one target
  // must not make another nearer, or the matching below would swap targets at
  // every step.
  s.out_of_service.assign(num_cells, 0);
  for (int robot = 0; robot < num_robots; ++robot)
    if (warehouse.down(robot)) s.out_of_service[floor.robot_cell[robot]] = 1;
  s.distance_of_robot.resize(static_cast<size_t>(num_robots) * num_cells);
  for (int robot = 0; robot < num_robots; ++robot)
    distances(layout, floor, robot, floor.robot_cell[robot],
              s.distance_of_robot.data() + static_cast<size_t>(robot) * num_cells, s);
  const auto distance = [&](int robot, int cell) {
    return s.distance_of_robot[static_cast<size_t>(robot) * num_cells + cell];
  };

  // Goals: pick stations for requested shelves; shelves and free shelf cells
  // matched greedily. Robots out of service have none.
  s.goal.assign(num_robots, kNone);
  s.empty_robots.clear();
  s.returning_robots.clear();
  for (int robot = 0; robot < num_robots; ++robot) {
    if (warehouse.down(robot)) continue;
    if (!floor.loaded(robot)) {
      s.empty_robots.push_back(robot);
    } else if (!orders.is_requested(floor.robot_shelf[robot])) {
      s.returning_robots.push_back(robot);
    } else {
      // The nearest pick station, preferring one no other robot stands on.
      auto rank = [&](int station) {
        const int occupant = floor.robot_at[station];
        return std::pair(occupant != kNone && occupant != robot, distance(robot, station));
      };
      for (int station : layout.pick_stations())
        if (s.goal[robot] == kNone || rank(station) < rank(s.goal[robot])) s.goal[robot] = station;
    }
  }
  s.waiting_shelves.clear();
  s.free_shelf_cells.clear();
  for (int shelf : orders.requested_shelves())
    if (floor.has_standing_shelf(floor.shelf_cell[shelf]))
      s.waiting_shelves.push_back(floor.shelf_cell[shelf]);
  for (int cell : layout.shelf_cells())
    if (!floor.has_standing_shelf(cell)) s.free_shelf_cells.push_back(cell);
  match_nearest(floor, s.empty_robots, s.waiting_shelves, num_cells, s);
  match_nearest(floor, s.returning_robots, s.free_shelf_cells, num_cells, s);

  // Distances to each robot's goal; a robot without one is equally far from everywhere.
  s.distance_to_goal.resize(static_cast<size_t>(num_robots) * num_cells);
  for (int robot = 0; robot < num_robots; ++robot) {
    int* to_goal = s.distance_to_goal.data() + static_cast<size_t>(robot) * num_cells;
    if (s.goal[robot] == kNone)
      std::fill(to_goal, to_goal + num_cells, 0);
    else
      distances(layout, floor, robot, s.goal[robot], to_goal, s);
  }

  // Priority: robots with somewhere to go before idle ones, loaded robots
  // (confined to the aisles) before empty ones (which can drive under
  // shelves), then the lower-numbered robot. Robots that cannot move are
  // planned first, standing where they are.
  StepPlanner planner(layout, floor, s);
  s.order.resize(num_robots);
  std::iota(s.order.begin(), s.order.end(), 0);
  std::ranges::sort(s.order, {}, [&](int robot) {
    return std::tuple(s.goal[robot] == kNone, !floor.loaded(robot), robot);
  });
  for (int robot = 0; robot < num_robots; ++robot)
    if (stands_still(robot)) planner.hold(robot);
  for (int robot : s.order) planner.plan(robot);

  // Actions. A robot that stays turns towards where it would rather be; at
  // its goal on a shelf cell it lifts or sets down the shelf (at a pick
  // station delivery is automatic).
  std::array<int, kNumHeadings + 1> cells;
  for (int robot = 0; robot < num_robots; ++robot) {
    const int here = floor.robot_cell[robot], next = planner.next_cell(robot);
    Action action = kNoop;
    if (stands_still(robot)) {
      action = kNoop;
    } else if (next != here) {
      action = towards(layout, floor, robot, next);
    } else if (here == s.goal[robot]) {
      action = layout.kind(here) == CellKind::kShelf ? kToggleLoad : kNoop;
    } else {
      planner.candidates(robot, cells);
      const int best = cells[0];
      if (best != here && towards(layout, floor, robot, best) != kForward)
        action = towards(layout, floor, robot, best);
    }
    out.discrete[robot] = action;
  }

  // A forward move into the cell of a robot that does not leave it this step
  // would only be blocked (and counted so): wait instead. A ring of robots
  // each moving into the next one's cell all move.
  s.moves.assign(num_robots, 0);
  for (int robot = 0; robot < num_robots; ++robot) s.moves[robot] = out.discrete[robot] == kForward;
  for (bool changed = true; changed;) {
    changed = false;
    for (int robot = 0; robot < num_robots; ++robot) {
      if (!s.moves[robot]) continue;
      const int occupant = floor.robot_at[planner.next_cell(robot)];
      if (occupant != kNone && !s.moves[occupant]) {
        s.moves[robot] = 0;
        out.discrete[robot] = kNoop;
        changed = true;
      }
    }
  }
}

}  // namespace twinrl::warehouse

#include "envs/warehouse/move_resolver.h"

#include <algorithm>

namespace twinrl::warehouse {

MoveResolver::MoveResolver(int num_robots, int num_cells)
    : claimant_(num_cells, -1),
      goal_(num_robots),
      outcome_(num_robots),
      position_on_walk_(num_robots) {
  walk_.reserve(num_robots);
}

void MoveResolver::resolve(std::span<const int> robot_cell, std::span<const int> target,
                           std::span<const int> robot_at, std::span<uint8_t> moves) {
  const auto num_robots = static_cast<int>(robot_cell.size());
  // Contests: each cell admits at most one newcomer, so the requests form
  // disjoint chains and cycles.
  for (int robot = 0; robot < num_robots; ++robot) {
    goal_[robot] = target[robot];
    if (goal_[robot] == robot_cell[robot]) continue;
    if (claimant_[goal_[robot]] < 0)
      claimant_[goal_[robot]] = robot;
    else
      goal_[robot] = robot_cell[robot];
  }
  for (int robot = 0; robot < num_robots; ++robot) claimant_[target[robot]] = -1;

  // Follow each chain to its head: it moves iff the head's target is free, and
  // a cycle moves iff it is longer than a head-on swap.
  std::fill(outcome_.begin(), outcome_.end(), Outcome::kUnknown);
  for (int start = 0; start < num_robots; ++start) {
    walk_.clear();
    Outcome result = Outcome::kStays;
    int robot = start;
    while (true) {
      if (outcome_[robot] == Outcome::kOnWalk) {
        const int cycle_length = static_cast<int>(walk_.size()) - position_on_walk_[robot];
        const Outcome cycle = cycle_length > 2 ? Outcome::kMoves : Outcome::kStays;
        for (size_t i = position_on_walk_[robot]; i < walk_.size(); ++i) outcome_[walk_[i]] = cycle;
        walk_.resize(position_on_walk_[robot]);  // anything before the cycle cannot enter it
        break;
      }
      if (outcome_[robot] != Outcome::kUnknown) {
        result = outcome_[robot];
        break;
      }
      if (goal_[robot] == robot_cell[robot]) {
        outcome_[robot] = Outcome::kStays;
        break;
      }
      outcome_[robot] = Outcome::kOnWalk;
      position_on_walk_[robot] = static_cast<int>(walk_.size());
      walk_.push_back(robot);
      const int occupant = robot_at[goal_[robot]];
      if (occupant < 0) {
        result = Outcome::kMoves;
        break;
      }
      robot = occupant;
    }
    for (int walked : walk_) outcome_[walked] = result;
  }
  for (int robot = 0; robot < num_robots; ++robot)
    moves[robot] = outcome_[robot] == Outcome::kMoves;
}

}  // namespace twinrl::warehouse

#pragma once
// Simultaneous moves on a grid, resolved deterministically as in RWARE's
// movement graph: no two robots end in one cell and no two swap cells head-on,
// but a chain of robots following one another moves together, as does a
// rotating cycle of three or more.
#include <cstdint>
#include <span>
#include <vector>

namespace twinrl::warehouse {

class MoveResolver {
 public:
  MoveResolver(int num_robots, int num_cells);

  // `robot_cell[i]` is where robot i stands, `target[i]` where it asks to go
  // (its own cell to stay), `robot_at[c]` the robot in cell c (or -1). Sets
  // moves[i] to whether robot i reaches its target. When several robots ask
  // for one cell, the lowest-numbered one may go and the others stay.
  void resolve(std::span<const int> robot_cell, std::span<const int> target,
               std::span<const int> robot_at, std::span<uint8_t> moves);

 private:
  enum class Outcome : uint8_t { kUnknown, kOnWalk, kMoves, kStays };

  std::vector<int> claimant_;  // per cell: the robot allowed to enter it, or -1
  std::vector<int> goal_;      // per robot: its target after the contests for cells
  std::vector<Outcome> outcome_;
  std::vector<int> walk_;  // robots in the order a walk visited them
  std::vector<int> position_on_walk_;
};

}  // namespace twinrl::warehouse

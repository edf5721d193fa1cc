#pragma once
// Where every robot and shelf is on the floor: the part of a warehouse's state
// that the movement rules change.
#include <vector>

#include "envs/warehouse/grid.h"

namespace twinrl::warehouse {

struct FloorState {
  std::vector<int> robot_cell;
  std::vector<Heading> robot_heading;
  std::vector<int> robot_shelf;  // the shelf a robot carries, or kNone
  std::vector<int> shelf_cell;
  std::vector<int> robot_at;  // per cell: the robot there, or kNone
  std::vector<int> shelf_at;  // per cell: the shelf there, standing or carried, or kNone

  bool loaded(int robot) const { return robot_shelf[robot] != kNone; }
  // A shelf standing in `cell`, not carried: loaded robots cannot enter, empty ones can lift it.
  bool has_standing_shelf(int cell) const {
    const int shelf = shelf_at[cell], robot = robot_at[cell];
    return shelf != kNone && (robot == kNone || robot_shelf[robot] != shelf);
  }
};

}  // namespace twinrl::warehouse

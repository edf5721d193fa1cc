#pragma once
// Shortest-path distances (in cells) from every cell to every pick point over
// the free cells, moving to the 8 neighbours without cutting shelf corners:
// computed once per model, they route the scripted planner and the moving
// obstacles and measure the robot's progress for the reward.
#include <box2d/b2_math.h>

#include <vector>

#include "envs/box2d/amr_floor_plan.h"

namespace twinrl::amr {

class AmrDistanceFields {
 public:
  explicit AmrDistanceFields(const AmrFloorPlan& plan);

  // Path length from the centre of `cell` to that of pick point `pick`
  // (an index into plan.pick_points()); infinite from solid cells.
  float at(int pick, int cell) const { return fields_[pick * plan_.num_cells() + cell]; }
  // Path length from `point` (cell units): the best over the cells around it
  // of the straight line to a cell's centre plus that cell's distance.
  float path_distance(int pick, b2Vec2 point) const;
  // The neighbour of `cell` that starts a shortest path to `pick` (`cell`
  // itself at the pick point).
  int next_cell(int pick, int cell) const;
  // The centre of the next cell of a shortest path from `point`: where the
  // planner steers, and the pick point's own centre once `point` is in it.
  b2Vec2 waypoint(int pick, b2Vec2 point) const;

 private:
  // The free cell that holds `point`, or the free cell with the nearest
  // centre when a body has been pushed into a solid cell or off the map.
  int free_cell_at(b2Vec2 point) const;

  const AmrFloorPlan& plan_;
  std::vector<float> fields_;  // [pick point][cell]
};

}  // namespace twinrl::amr

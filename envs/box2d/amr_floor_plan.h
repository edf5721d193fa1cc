#pragma once
// The static floor of the Amr env, in cell units: which cells are solid
// (shelves and walls), where picks happen and where the robot starts. Read
// from a Warehouse layout, so that the same ASCII maps serve both envs. Cell
// (x, y) spans [x, x + 1] x [y, y + 1]: x along a map row, y down the rows.
#include <box2d/b2_math.h>

#include <vector>

#include "core/rng.h"
#include "envs/warehouse/layout.h"

namespace twinrl::amr {

enum class PickPointKind { kShelfFaces, kStations };

class AmrFloorPlan : public warehouse::GridShape {
 public:
  // A rectangle of solid cells, one box of the physics world.
  struct SolidBlock {
    int x, y, width, height;
  };

  // Throws warehouse::LayoutError (naming map rows and columns) when the
  // layout has fewer than two pick points, no free start cell, or a pick
  // point or start cell that the others cannot reach.
  AmrFloorPlan(const warehouse::Layout& layout, PickPointKind pick_points);

  bool solid(int cell) const { return solid_[cell]; }
  // The cell holding `point`, or -1 off the map.
  int cell_at(b2Vec2 point) const;
  b2Vec2 center(int cell) const {
    return {static_cast<float>(x(cell)) + 0.5f, static_cast<float>(y(cell)) + 0.5f};
  }
  // Whether a body may go from `cell` to its neighbour (dx, dy) (each in
  // -1..1): both cells free and, diagonally, both cells beside the move too,
  // so that no path cuts a shelf's corner.
  bool can_move(int cell, int dx, int dy) const;
  // Whether a disc of `radius` moving straight from `from` to `to` keeps
  // clear of the solid cells and the map's edges (all in cell units).
  bool sweep_clear(b2Vec2 from, b2Vec2 to, float radius) const;

  const std::vector<int>& pick_points() const { return pick_points_; }
  // A pick point index other than `pick`, uniformly.
  int other_pick_point(int pick, Rng& rng) const {
    const auto draw = static_cast<int>(rng.below(pick_points_.size() - 1));
    return draw < pick ? draw : draw + 1;
  }
  // The map's chargers, or every free cell if it has none.
  const std::vector<int>& start_cells() const { return start_cells_; }
  // The solid cells as few rectangles: horizontal runs, merged with the
  // identical runs below them.
  const std::vector<SolidBlock>& solid_blocks() const { return solid_blocks_; }

 private:
  // The length of the run of solid cells that starts at (x, y), 0 where none does.
  int run_length(int x, int y) const;
  // Throws unless every pick point and start cell is reachable from the first start cell.
  void check_connected() const;

  std::vector<bool> solid_;
  std::vector<int> pick_points_, start_cells_;
  std::vector<SolidBlock> solid_blocks_;
};

}  // namespace twinrl::amr

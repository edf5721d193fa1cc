#pragma once
// The static floor plan of a warehouse: read from an ASCII map or generated
// like the RWARE presets. Built once per model and shared by every env copy.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "envs/warehouse/grid.h"

namespace twinrl::warehouse {

// A map that cannot be a warehouse; the message names the map row and column.
class LayoutError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

class Layout : public GridShape {
 public:
  // Parses rows of `x` shelf, `.` aisle, `g` pick station, `#` wall, `c`
  // charger. Blank lines around the map and trailing blanks on a row are
  // ignored. Throws LayoutError for ragged rows, unknown characters, or a map
  // without a shelf or a pick station.
  static Layout parse(std::string_view map);

  CellKind kind(int cell) const { return kinds_[cell]; }
  // The cell one step from `cell` towards `heading`; kNone off the map or into a wall.
  int ahead(int cell, Heading heading) const {
    return neighbours_[cell * kNumHeadings + static_cast<int>(heading)];
  }

  // Storage locations (each holds a shelf at the start), pick stations, and
  // the cells robots start from: the chargers, or every non-wall cell if none.
  const std::vector<int>& shelf_cells() const { return shelf_cells_; }
  const std::vector<int>& pick_stations() const { return pick_stations_; }
  const std::vector<int>& start_cells() const { return start_cells_; }
  // The pick station nearest to each cell (Manhattan distance, lowest index on ties).
  int nearest_pick_station(int cell) const { return nearest_pick_station_[cell]; }

 private:
  std::vector<CellKind> kinds_;
  std::vector<int> neighbours_;
  std::vector<int> shelf_cells_, pick_stations_, start_cells_;
  std::vector<int> nearest_pick_station_;
};

// The ASCII map of RWARE's generated warehouses: `shelf_rows` x `shelf_columns`
// blocks of two-wide shelf columns `column_height` high, separated by aisles,
// two pick stations in the middle of the bottom row, and the blocks above
// them cleared for queueing. Grid: (column_height + 1) * shelf_rows + 2 rows,
// 3 * shelf_columns + 1 columns. shelf_columns must be odd.
std::string generated_map(int shelf_rows, int shelf_columns, int column_height);

}  // namespace twinrl::warehouse

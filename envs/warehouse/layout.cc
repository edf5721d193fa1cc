#include "envs/warehouse/layout.h"

#include <cstdlib>
#include <limits>

namespace twinrl::warehouse {
namespace {

std::vector<std::string_view> map_rows(std::string_view map) {
  std::vector<std::string_view> rows;
  size_t start = 0;
  while (start <= map.size()) {
    size_t end = map.find('\n', start);
    if (end == std::string_view::npos) end = map.size();
    std::string_view row = map.substr(start, end - start);
    const size_t last = row.find_last_not_of(" \t\r");
    rows.push_back(last == std::string_view::npos ? std::string_view{} : row.substr(0, last + 1));
    start = end + 1;
  }
  while (!rows.empty() && rows.back().empty()) rows.pop_back();
  size_t first = 0;
  while (first < rows.size() && rows[first].empty()) ++first;
  return {rows.begin() + static_cast<std::ptrdiff_t>(first), rows.end()};
}

CellKind kind_of(char symbol, int row, int column) {
  switch (symbol) {
    case 'x':
      return CellKind::kShelf;
    case '.':
      return CellKind::kAisle;
    case 'g':
      return CellKind::kPickStation;
    case '#':
      return CellKind::kWall;
    case 'c':
      return CellKind::kCharger;
    default:
      throw LayoutError("map row " + std::to_string(row) + ", column " + std::to_string(column) +
                        ": unknown character '" + std::string(1, symbol) +
                        "'; expected x (shelf), . (aisle), g (pick station), # (wall) or c "
                        "(charger)");
  }
}

}  // namespace

Layout Layout::parse(std::string_view map) {
  const std::vector<std::string_view> rows = map_rows(map);
  if (rows.empty()) throw LayoutError("the map is empty");
  Layout layout;
  layout.height_ = static_cast<int>(rows.size());
  layout.width_ = static_cast<int>(rows[0].size());
  for (int y = 0; y < layout.height_; ++y) {
    const std::string_view row = rows[y];
    if (static_cast<int>(row.size()) != layout.width_)
      throw LayoutError("map row " + std::to_string(y + 1) + " has " + std::to_string(row.size()) +
                        " cells but row 1 has " + std::to_string(layout.width_) +
                        ": every row must be as long");
    for (int x = 0; x < layout.width_; ++x) layout.kinds_.push_back(kind_of(row[x], y + 1, x + 1));
  }

  for (int cell = 0; cell < layout.num_cells(); ++cell) {
    switch (layout.kinds_[cell]) {
      case CellKind::kShelf:
        layout.shelf_cells_.push_back(cell);
        break;
      case CellKind::kPickStation:
        layout.pick_stations_.push_back(cell);
        break;
      case CellKind::kCharger:
        layout.start_cells_.push_back(cell);
        break;
      default:
        break;
    }
  }
  if (layout.pick_stations_.empty()) throw LayoutError("the map has no pick station (g)");
  if (layout.shelf_cells_.empty()) throw LayoutError("the map has no shelf (x)");
  if (layout.start_cells_.empty()) {
    for (int cell = 0; cell < layout.num_cells(); ++cell)
      if (layout.kinds_[cell] != CellKind::kWall) layout.start_cells_.push_back(cell);
  }

  constexpr int dx[kNumHeadings] = {0, 1, 0, -1};
  constexpr int dy[kNumHeadings] = {-1, 0, 1, 0};
  layout.neighbours_.resize(static_cast<size_t>(layout.num_cells()) * kNumHeadings);
  for (int cell = 0; cell < layout.num_cells(); ++cell) {
    for (int heading = 0; heading < kNumHeadings; ++heading) {
      const int x = layout.x(cell) + dx[heading], y = layout.y(cell) + dy[heading];
      const bool inside = layout.inside(x, y);
      const int next = inside ? layout.cell(x, y) : kNone;
      layout.neighbours_[cell * kNumHeadings + heading] =
          next != kNone && layout.kinds_[next] != CellKind::kWall ? next : kNone;
    }
  }

  layout.nearest_pick_station_.resize(layout.num_cells());
  for (int cell = 0; cell < layout.num_cells(); ++cell) {
    int best_distance = std::numeric_limits<int>::max();
    for (int station : layout.pick_stations_) {
      const int distance = std::abs(layout.x(cell) - layout.x(station)) +
                           std::abs(layout.y(cell) - layout.y(station));
      if (distance < best_distance) {
        best_distance = distance;
        layout.nearest_pick_station_[cell] = station;
      }
    }
  }
  return layout;
}

std::string generated_map(int shelf_rows, int shelf_columns, int column_height) {
  if (shelf_rows < 1 || shelf_columns < 1 || column_height < 1 || shelf_columns % 2 == 0)
    throw std::invalid_argument("generated warehouses need positive sizes and odd shelf_columns");
  const int height = (column_height + 1) * shelf_rows + 2;
  const int width = 3 * shelf_columns + 1;
  std::string map;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const bool middle = x == width / 2 - 1 || x == width / 2;
      const bool bottom_row = y == height - 1;
      const bool aisle = x % 3 == 0 || y % (column_height + 1) == 0 || bottom_row ||
                         (middle && y > height - (column_height + 3));
      map += bottom_row && middle ? 'g' : aisle ? '.' : 'x';
    }
    map += '\n';
  }
  return map;
}

}  // namespace twinrl::warehouse

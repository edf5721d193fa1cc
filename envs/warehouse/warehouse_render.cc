// What a viewer draws of a warehouse: the map once, then robots, moved shelves
// and orders after every step, with cells as [x, y] (y growing downwards).
#include <nlohmann/json.hpp>

#include "envs/warehouse/warehouse_env.h"

namespace twinrl::warehouse {
namespace {

nlohmann::json cells_json(const GridShape& grid, const std::vector<int>& cells) {
  nlohmann::json json = nlohmann::json::array();
  for (int cell : cells) json.push_back({grid.x(cell), grid.y(cell)});
  return json;
}

}  // namespace

void WarehouseEnv::render_scene(nlohmann::json& scene) const {
  const Layout& layout = model_.layout();
  std::vector<int> walls, chargers;
  for (int cell = 0; cell < layout.num_cells(); ++cell) {
    if (layout.kind(cell) == CellKind::kWall) walls.push_back(cell);
    if (layout.kind(cell) == CellKind::kCharger) chargers.push_back(cell);
  }
  scene = {{"width", layout.width()},
           {"height", layout.height()},
           {"shelf_cells", cells_json(layout, layout.shelf_cells())},
           {"pick_stations", cells_json(layout, layout.pick_stations())},
           {"walls", cells_json(layout, walls)},
           {"chargers", cells_json(layout, chargers)}};
}

void WarehouseEnv::render_state(nlohmann::json& state) const {
  const Layout& layout = model_.layout();
  nlohmann::json robots = nlohmann::json::array();
  for (int robot = 0; robot < params_.num_robots; ++robot) {
    const int cell = floor_.robot_cell[robot];
    robots.push_back({layout.x(cell), layout.y(cell), static_cast<int>(floor_.robot_heading[robot]),
                      floor_.robot_shelf[robot]});
  }
  // Only the shelves away from the cell they started on: most never move.
  nlohmann::json moved_shelves = nlohmann::json::array();
  for (int shelf = 0; shelf < std::ssize(floor_.shelf_cell); ++shelf) {
    const int cell = floor_.shelf_cell[shelf];
    if (cell != layout.shelf_cells()[shelf])
      moved_shelves.push_back({shelf, layout.x(cell), layout.y(cell)});
  }
  const std::span<const int> requested = orders_.requested_shelves();
  state = {{"robots", std::move(robots)},
           {"moved_shelves", std::move(moved_shelves)},
           {"requested_shelves", std::vector<int>(requested.begin(), requested.end())},
           {"orders_waiting", orders_.waiting()},
           {"delivered", delivered_}};
}

}  // namespace twinrl::warehouse

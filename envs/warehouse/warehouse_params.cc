#include "envs/warehouse/warehouse_params.h"

#include <string_view>

#include "envs/warehouse/layout.h"

namespace twinrl::warehouse {

namespace {

// RWARE's presets: blocks of shelf columns 8 high.
struct Preset {
  std::string_view name;
  int shelf_rows;
  int shelf_columns;
};
constexpr Preset kPresets[] = {{"tiny", 1, 3}, {"small", 2, 3}, {"medium", 2, 5}, {"large", 3, 5}};
constexpr int kPresetColumnHeight = 8;

}  // namespace

std::string WarehouseParams::layout_map() const {
  if (layout == "map") return map;
  for (const Preset& preset : kPresets)
    if (preset.name == layout)
      return generated_map(preset.shelf_rows, preset.shelf_columns, kPresetColumnHeight);
  return generated_map(shelf_rows, shelf_columns, column_height);
}

void WarehouseParams::validate(const ConfigNode& node) const {
  if (layout == "map" && map.empty()) node.child("map").fail("layout is 'map' but no map is given");
  if (layout != "map" && !map.empty())
    node.child("map").fail("a map is given but layout is '" + layout +
                           "'; set layout: map to use it");
  if (layout == "grid" && shelf_columns % 2 == 0)
    node.child("shelf_columns")
        .fail("must be odd: the pick stations sit below the middle column of blocks");

  Layout parsed;
  try {
    parsed = Layout::parse(layout_map());
  } catch (const LayoutError& error) {
    node.child("map").fail(error.what());
  }
  const int start_cells = static_cast<int>(parsed.start_cells().size());
  if (num_robots > start_cells)
    node.child("num_robots")
        .fail(std::to_string(num_robots) + " robots but the layout has only " +
              std::to_string(start_cells) + " free cells to start from (its chargers, if any)");
  const int shelves = static_cast<int>(parsed.shelf_cells().size());
  if (queue_size() >= shelves)
    node.child("request_queue_size")
        .fail(std::to_string(queue_size()) + " requested shelves (0 means num_robots) need more " +
              "shelves than the layout's " + std::to_string(shelves));
}

}  // namespace twinrl::warehouse

#include "envs/box2d/amr_params.h"

#include <sstream>

#include "envs/warehouse/warehouse_params.h"

namespace twinrl::amr {

std::string AmrParams::layout_map() const {
  if (layout == "map") return map;
  warehouse::WarehouseParams preset;
  preset.layout = layout;
  return preset.layout_map();
}

AmrFloorPlan AmrParams::floor_plan() const {
  return {warehouse::Layout::parse(layout_map()),
          pick_points == "stations" ? PickPointKind::kStations : PickPointKind::kShelfFaces};
}

void AmrParams::validate(const ConfigNode& node) const {
  if (layout == "map" && map.empty()) node.child("map").fail("layout is 'map' but no map is given");
  if (layout != "map" && !map.empty())
    node.child("map").fail("a map is given but layout is '" + layout +
                           "'; set layout: map to use it");
  try {
    floor_plan();
  } catch (const warehouse::LayoutError& error) {
    node.child("map").fail(error.what());
  }
  const auto check_fits = [&](std::string_view key, double radius) {
    if (2 * radius < cell_size_m) return;
    std::ostringstream message;
    message << "a body " << 2 * radius << " m wide does not fit between shelves in cells of "
            << cell_size_m << " m (cell_size_m)";
    node.child(key).fail(message.str());
  };
  check_fits("robot_radius_m", robot_radius_m);
  if (num_people > 0) check_fits("person_radius_m", person_radius_m);
}

}  // namespace twinrl::amr

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
    const AmrFloorPlan plan = floor_plan();
    // The distance fields hold a float per pick point and cell: their size
    // (and the time to fill them) grows as the fourth power of the map's side.
    constexpr double kMaxFieldEntries = 1 << 24;  // 64 MB
    const double entries =
        static_cast<double>(plan.pick_points().size()) * static_cast<double>(plan.num_cells());
    if (entries > kMaxFieldEntries)
      node.child(layout == "map" ? "map" : "layout")
          .fail(std::to_string(plan.pick_points().size()) + " pick points on " +
                std::to_string(plan.num_cells()) + " cells need " +
                std::to_string(static_cast<long long>(entries * 4 / (1 << 20))) +
                " MB of distance fields, above the limit of 64 MB: use a smaller map or fewer "
                "pick points (pick_points: stations)");
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

// Warehouse: the grid (rows downwards, one world unit per cell) with its walls,
// pick stations and storage cells; shelves, requested ones in orange; robots
// as circles with a heading tick, dark when loaded.
#include <array>
#include <string>
#include <vector>

#include "viewer/drawers/drawers.h"

namespace twinrl::viewer {
namespace {

constexpr Color kFloor = Color::rgb(244, 241, 234);
constexpr Color kGridLine = Color::rgb(222, 217, 206);
constexpr Color kWall = Color::rgb(91, 95, 102);
constexpr Color kCharger = Color::rgb(205, 216, 232);
constexpr Color kPickStation = Color::rgb(191, 227, 199);
constexpr Color kPickStationEdge = Color::rgb(61, 139, 87);
constexpr Color kStorage = Color::rgb(230, 224, 210);
constexpr Color kShelf = Color::rgb(176, 141, 87);
constexpr Color kShelfEdge = Color::rgb(122, 95, 53);
constexpr Color kRequestedShelf = Color::rgb(224, 122, 63);
constexpr Color kRequestedShelfEdge = Color::rgb(164, 80, 31);
constexpr Color kRobot = Color::rgb(59, 110, 165);
constexpr Color kLoadedRobot = Color::rgb(31, 52, 84);
constexpr Color kRobotMark = Color::rgb(255, 255, 255);

constexpr float kStorageInset = 0.08f, kShelfInset = 0.14f;
constexpr float kRobotRadius = 0.3f, kLabelSize = 0.22f;
// Unit steps of headings 0 (up), 1 (right), 2 (down), 3 (left), y downwards.
constexpr std::array<std::array<float, 2>, 4> kHeadingStep = {{{0, -1}, {1, 0}, {0, 1}, {-1, 0}}};

void storage_spot(Drawing& drawing, float x, float y) {
  drawing.rect(x + kStorageInset, y + kStorageInset, 1 - 2 * kStorageInset, 1 - 2 * kStorageInset,
               kStorage);
}

void shelf(Drawing& drawing, float x, float y, bool requested) {
  drawing.rect(x + kShelfInset, y + kShelfInset, 1 - 2 * kShelfInset, 1 - 2 * kShelfInset,
               requested ? kRequestedShelf : kShelf, requested ? kRequestedShelfEdge : kShelfEdge,
               0.05f);
}

class WarehouseDrawer final : public StepDrawer {
 protected:
  // The floor with every shelf standing on the cell it starts from; the
  // foreground redraws only what differs (moved and requested shelves), so
  // that a frame holds a few shapes rather than one per shelf.
  Drawing background(const nlohmann::json& scene) const override {
    const auto width = scene.at("width").get<float>();
    const auto height = scene.at("height").get<float>();
    Drawing drawing({0, 0, width, height, /*y_up=*/false}, kFloor);
    for (float x = 0; x <= width; ++x) drawing.polyline({x, 0, x, height}, kGridLine, 0.03f);
    for (float y = 0; y <= height; ++y) drawing.polyline({0, y, width, y}, kGridLine, 0.03f);
    for (const auto& cell : scene.at("walls"))
      drawing.rect(cell.at(0).get<float>(), cell.at(1).get<float>(), 1, 1, kWall);
    for (const auto& cell : scene.at("chargers"))
      drawing.rect(cell.at(0).get<float>() + 0.1f, cell.at(1).get<float>() + 0.1f, 0.8f, 0.8f,
                   kCharger);
    for (const auto& cell : scene.at("pick_stations"))
      drawing.rect(cell.at(0).get<float>(), cell.at(1).get<float>(), 1, 1, kPickStation,
                   kPickStationEdge, 0.06f);
    for (const auto& cell : scene.at("shelf_cells")) {
      storage_spot(drawing, cell.at(0).get<float>(), cell.at(1).get<float>());
      shelf(drawing, cell.at(0).get<float>(), cell.at(1).get<float>(), false);
    }
    return drawing;
  }

  void foreground(const nlohmann::json& scene, const nlohmann::json& state,
                  Drawing& out) const override {
    const nlohmann::json& homes = scene.at("shelf_cells");
    std::vector<std::array<float, 2>> shelf_at;
    for (const auto& cell : homes)
      shelf_at.push_back({cell.at(0).get<float>(), cell.at(1).get<float>()});
    std::vector<bool> requested(homes.size());
    for (const auto& shelf_index : state.at("requested_shelves"))
      requested.at(shelf_index.get<size_t>()) = true;

    // Clear the starting cells of moved shelves first: another may stand there now.
    const nlohmann::json& moved = state.at("moved_shelves");
    for (const auto& entry : moved) {
      const auto& home = shelf_at.at(entry.at(0).get<size_t>());
      storage_spot(out, home[0], home[1]);
    }
    for (const auto& entry : moved) {
      const auto index = entry.at(0).get<size_t>();
      shelf_at.at(index) = {entry.at(1).get<float>(), entry.at(2).get<float>()};
      if (!requested[index]) shelf(out, shelf_at[index][0], shelf_at[index][1], false);
    }
    for (size_t index = 0; index < requested.size(); ++index)
      if (requested[index]) shelf(out, shelf_at[index][0], shelf_at[index][1], true);

    int robot = 0;
    for (const auto& entry : state.at("robots")) {
      const float x = entry.at(0).get<float>() + 0.5f, y = entry.at(1).get<float>() + 0.5f;
      const auto& step = kHeadingStep.at(entry.at(2).get<size_t>());
      const bool loaded = entry.at(3).get<int>() >= 0;
      out.circle(x, y, kRobotRadius, loaded ? kLoadedRobot : kRobot, kRobotMark, 0.04f);
      out.polyline({x, y, x + kRobotRadius * step[0], y + kRobotRadius * step[1]}, kRobotMark,
                   0.08f);
      // The index inside the circle, away from the heading tick (a digit is
      // about 0.6 font sizes wide, and the baseline 0.35 below the middle).
      const std::string label = std::to_string(robot++);
      const float half_width = 0.3f * kLabelSize * static_cast<float>(label.size());
      out.text(x - half_width - 0.14f * step[0], y + 0.35f * kLabelSize - 0.14f * step[1], label,
               kLabelSize, kRobotMark);
    }
  }
};

}  // namespace

std::unique_ptr<SceneDrawer> make_warehouse_drawer() {
  return std::make_unique<WarehouseDrawer>();
}

}  // namespace twinrl::viewer

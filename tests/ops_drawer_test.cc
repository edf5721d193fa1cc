// The render state and the drawings of CartPole, Warehouse and SupplyChain:
// what the envs write is what they hold, and the drawers draw it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config_node.h"
#include "envs/builtin_envs.h"
#include "envs/classic/cartpole.h"
#include "envs/supply_chain/supply_chain_env.h"
#include "envs/warehouse/warehouse_env.h"
#include "tests/drawing_shapes.h"
#include "tests/episode_recording.h"
#include "viewer/drawers/scene_drawer.h"

namespace twinrl::viewer {
namespace {

// Every number in `json` is finite, and it reads back as it was written.
void expect_finite_round_trip(const nlohmann::json& json) {
  EXPECT_EQ(nlohmann::json::parse(json.dump()), json);
  const std::function<void(const nlohmann::json&)> check = [&](const nlohmann::json& value) {
    if (value.is_number_float()) {
      EXPECT_TRUE(std::isfinite(value.get<double>()));
    }
    if (value.is_structured())
      for (const auto& element : value) check(element);
  };
  check(json);
}

void expect_pictures_serialize(const EpisodeRecording& recording, const EpisodePicture& picture) {
  ASSERT_EQ(picture.frames.size(), recording.episode().steps.size());
  expect_finite_round_trip(recording.episode().scene);
  expect_finite_round_trip(picture.background.to_json());
  for (size_t t = 0; t < picture.frames.size(); ++t) {
    expect_finite_round_trip(recording.episode().steps[t].state);
    expect_finite_round_trip(picture.frames[t].to_json());
  }
}

using test_support::shapes_of;

// The middle of a rect, or a circle's centre.
std::pair<float, float> centre(const Shape& shape) {
  if (shape.kind == ShapeKind::circle) return {shape.points[0], shape.points[1]};
  return {shape.points[0] + shape.points[2] / 2, shape.points[1] + shape.points[3] / 2};
}

// The last-drawn shape of `kind` centred in cell (x, y), or null.
const Shape* topmost_in_cell(const Drawing& drawing, ShapeKind kind, int x, int y) {
  const Shape* found = nullptr;
  for (const Shape* shape : shapes_of(drawing, kind)) {
    const auto [cx, cy] = centre(*shape);
    if (std::abs(cx - (x + 0.5f)) < 1e-4f && std::abs(cy - (y + 0.5f)) < 1e-4f) found = shape;
  }
  return found;
}

TEST(CartPoleDrawerTest, TheCartAndPoleFollowTheState) {
  EpisodeRecording recording("CartPole", "{}", 3);
  const auto& env = dynamic_cast<const CartPoleEnv&>(recording.env());
  for (int t = 0; t < 20; ++t) {
    const int64_t push = 1;  // keep pushing right: the cart travels
    recording.step({nullptr, &push});
    EXPECT_EQ(recording.state().at("cart_position_m").get<double>(), env.state()[0]);
    EXPECT_EQ(recording.state().at("pole_angle_rad").get<double>(), env.state()[2]);
  }
  EXPECT_EQ(recording.episode().scene.at("position_limit_m").get<double>(), 2.4);
  EXPECT_EQ(recording.episode().scene.at("pole_length_m").get<double>(), 1.0);

  const EpisodePicture picture = recording.draw();
  expect_pictures_serialize(recording, picture);
  const Bounds& bounds = picture.background.bounds();
  EXPECT_TRUE(bounds.y_up);
  EXPECT_LT(bounds.x_min, -2.4f);
  EXPECT_GT(bounds.x_max, 2.4f);
  float first_cart_x = 0, last_cart_x = 0;
  for (size_t t = 0; t < picture.frames.size(); ++t) {
    const nlohmann::json& state = recording.episode().steps[t].state;
    const auto x = state.at("cart_position_m").get<float>();
    const auto angle = state.at("pole_angle_rad").get<float>();
    const auto carts = shapes_of(picture.frames[t], ShapeKind::rect);
    const auto poles = shapes_of(picture.frames[t], ShapeKind::polyline);
    ASSERT_EQ(carts.size(), 1u);
    ASSERT_EQ(poles.size(), 1u);
    EXPECT_NEAR(centre(*carts[0]).first, x, 1e-5f);
    const std::vector<float>& pole = poles[0]->points;
    EXPECT_NEAR(pole[0], x, 1e-5f);
    EXPECT_NEAR(pole[2] - pole[0], std::sin(angle), 1e-5f);  // the pole is 1 m long
    EXPECT_NEAR(pole[3] - pole[1], std::cos(angle), 1e-5f);
    (t == 0 ? first_cart_x : last_cart_x) = centre(*carts[0]).first;
  }
  EXPECT_GT(last_cart_x, first_cart_x + 0.05f);
}

TEST(WarehouseDrawerTest, RobotsShelvesAndOrdersFollowTheFloor) {
  using namespace twinrl::warehouse;
  EpisodeRecording recording("Warehouse", "{layout: tiny, num_robots: 3}", 5);
  const auto& env = dynamic_cast<const WarehouseEnv&>(recording.env());
  const Layout& layout = env.model().layout();
  const auto greedy = recording.model().make_baseline("greedy", 0);
  const int robots = 3;
  std::vector<int64_t> actions(robots);

  const nlohmann::json& scene = recording.episode().scene;
  EXPECT_EQ(scene.at("width").get<int>(), layout.width());
  EXPECT_EQ(scene.at("height").get<int>(), layout.height());
  ASSERT_EQ(scene.at("shelf_cells").size(), layout.shelf_cells().size());
  EXPECT_EQ(scene.at("pick_stations").size(), layout.pick_stations().size());

  bool robot_moved = false, lifted = false, shelf_moved = false;
  for (int t = 0;; ++t) {
    // The state after reset, then after each step, is the env's floor.
    const nlohmann::json& state = recording.state();
    const FloorState& floor = env.floor();
    ASSERT_EQ(state.at("robots").size(), size_t(robots));
    for (int robot = 0; robot < robots; ++robot) {
      const nlohmann::json& entry = state.at("robots")[robot];
      const int cell = floor.robot_cell[robot];
      EXPECT_EQ(entry, nlohmann::json({layout.x(cell), layout.y(cell),
                                       static_cast<int>(floor.robot_heading[robot]),
                                       floor.robot_shelf[robot]}));
      lifted |= floor.robot_shelf[robot] >= 0;
      robot_moved |= entry != recording.episode().steps[0].state.at("robots")[robot];
    }
    std::vector<int> shelf_cell = layout.shelf_cells();
    for (const auto& moved : state.at("moved_shelves")) {
      shelf_cell[moved[0].get<size_t>()] = layout.cell(moved[1].get<int>(), moved[2].get<int>());
      shelf_moved = true;
    }
    EXPECT_EQ(shelf_cell, floor.shelf_cell);
    const auto requested = env.orders().requested_shelves();
    EXPECT_EQ(state.at("requested_shelves").get<std::vector<int>>(),
              std::vector<int>(requested.begin(), requested.end()));
    EXPECT_EQ(state.at("delivered").get<float>(), recording.episode().steps.back().kpis[0]);
    if (t == 40) break;
    greedy->act(env, {nullptr, actions.data()});
    for (int robot = 0; robot < robots; ++robot)
      ASSERT_TRUE(recording.mask()[robot * kNumActions + actions[robot]]);
    recording.step({nullptr, actions.data()});
  }
  ASSERT_TRUE(robot_moved);
  ASSERT_TRUE(lifted);  // so that loaded robots and moved shelves are drawn below
  ASSERT_TRUE(shelf_moved);

  const EpisodePicture picture = recording.draw();
  expect_pictures_serialize(recording, picture);
  EXPECT_FALSE(picture.background.bounds().y_up);
  // Every shelf stands in the background, on the cell it starts from.
  const nlohmann::json& first_home = scene.at("shelf_cells")[0];
  const Shape* first_shelf = topmost_in_cell(picture.background, ShapeKind::rect,
                                             first_home[0].get<int>(), first_home[1].get<int>());
  ASSERT_NE(first_shelf, nullptr);
  const Color shelf_color = first_shelf->fill;
  EXPECT_EQ(shapes_of(picture.background, ShapeKind::rect, shelf_color).size(),
            layout.shelf_cells().size());

  std::vector<std::string> empty_fills, loaded_fills;
  for (size_t t = 0; t < picture.frames.size(); ++t) {
    const Drawing& frame = picture.frames[t];
    const nlohmann::json& state = recording.episode().steps[t].state;
    const auto circles = shapes_of(frame, ShapeKind::circle);
    ASSERT_EQ(circles.size(), size_t(robots));
    for (int robot = 0; robot < robots; ++robot) {
      const nlohmann::json& entry = state.at("robots")[robot];
      const Shape* circle =
          topmost_in_cell(frame, ShapeKind::circle, entry[0].get<int>(), entry[1].get<int>());
      ASSERT_NE(circle, nullptr) << "robot " << robot << " at step " << t;
      (entry[3].get<int>() >= 0 ? loaded_fills : empty_fills).push_back(circle->fill.css());
    }
    // Requested shelves in their own colour, wherever they are.
    std::vector<int> cell_of_shelf(layout.shelf_cells());
    for (const auto& moved : state.at("moved_shelves"))
      cell_of_shelf[moved[0].get<size_t>()] = layout.cell(moved[1].get<int>(), moved[2].get<int>());
    const nlohmann::json& requested = state.at("requested_shelves");
    ASSERT_FALSE(requested.empty());
    const Color requested_color = [&] {
      const int cell = cell_of_shelf[requested[0].get<size_t>()];
      const Shape* shelf = topmost_in_cell(frame, ShapeKind::rect, layout.x(cell), layout.y(cell));
      EXPECT_NE(shelf, nullptr);
      return shelf ? shelf->fill : Color::none();
    }();
    EXPECT_NE(requested_color.css(), shelf_color.css());
    EXPECT_EQ(shapes_of(frame, ShapeKind::rect, requested_color).size(), requested.size());
    // A moved shelf that is not requested is drawn in the shelf colour where it is now.
    for (const auto& moved : state.at("moved_shelves")) {
      if (std::find(requested.begin(), requested.end(), moved[0]) != requested.end()) continue;
      const Shape* shelf =
          topmost_in_cell(frame, ShapeKind::rect, moved[1].get<int>(), moved[2].get<int>());
      ASSERT_NE(shelf, nullptr);
      EXPECT_EQ(shelf->fill.css(), shelf_color.css());
    }
  }
  ASSERT_FALSE(loaded_fills.empty());
  ASSERT_FALSE(empty_fills.empty());
  for (const std::string& fill : loaded_fills)
    EXPECT_EQ(std::ranges::count(empty_fills, fill), 0) << "loaded robots look like empty ones";
}

TEST(SupplyChainDrawerTest, StockPipelineAndBacklogFollowTheChain) {
  // Demand well above the retailer's stock, so that backlogs build up.
  EpisodeRecording recording("SupplyChain", "{backlog: true, demand: {mean: 60}}", 2);
  const auto& env = dynamic_cast<const SupplyChainEnv&>(recording.env());
  const SupplyChainModel& model = env.model();
  const int stages = model.num_stages();
  const nlohmann::json& scene = recording.episode().scene;
  ASSERT_EQ(scene.at("stages").size(), size_t(stages));
  EXPECT_EQ(scene.at("stages")[0].at("name"), "retailer");
  EXPECT_EQ(scene.at("stages")[0].at("supplier").get<int>(), 1);
  EXPECT_TRUE(scene.at("stages")[0].at("retailer").get<bool>());
  EXPECT_EQ(scene.at("stages")[2].at("lead_time").get<int>(), 10);

  // Action 0 of [-1, 1]: orders of half the capacity.
  const std::vector<float> half_capacity(recording.spec().action_space.size(), 0.0f);
  bool customer_backlog = false, supplier_owes = false;
  for (int t = 0;; ++t) {
    const nlohmann::json& state = recording.state();
    EXPECT_EQ(state.at("period").get<int>(), t);
    for (int stage = 0; stage < stages; ++stage) {
      const auto value = [&](const char* key) { return state.at(key)[stage][0].get<int64_t>(); };
      EXPECT_EQ(value("on_hand"), env.on_hand(stage));
      EXPECT_EQ(value("customer_backlog"), env.customer_backlog(stage));
      EXPECT_EQ(value("order_backlog"), env.order_backlog(stage));
      int64_t in_transit = 0;
      for (const auto& units : state.at("pipeline")[stage][0]) in_transit += units.get<int64_t>();
      EXPECT_EQ(in_transit, env.in_transit(stage));
      EXPECT_EQ(value("ordered"), t == 0 ? 0 : model.params().stages.capacity[stage] / 2);
      if (stage != 0) {
        EXPECT_EQ(value("demand"), 0);
      }
      if (t > 0) {
        // What was owed and ordered is shipped or still owed; demand is sold or waits.
        const nlohmann::json& before = recording.episode().steps[t - 1].state;
        const auto previous = [&](const char* key) {
          return before.at(key)[stage][0].get<int64_t>();
        };
        EXPECT_EQ(value("shipped") + value("order_backlog"),
                  value("ordered") + previous("order_backlog"));
        EXPECT_EQ(value("sold") + value("customer_backlog"),
                  value("demand") + previous("customer_backlog"));
      }
      customer_backlog |= env.customer_backlog(stage) > 0;
      supplier_owes |= env.order_backlog(stage) > 0;
    }
    if (t == 12) break;
    recording.step({half_capacity.data(), nullptr});
  }
  ASSERT_TRUE(customer_backlog);
  ASSERT_TRUE(supplier_owes);

  const EpisodePicture picture = recording.draw();
  expect_pictures_serialize(recording, picture);
  // One box per stage, named.
  for (const auto& stage : scene.at("stages")) {
    const auto texts = shapes_of(picture.background, ShapeKind::text);
    EXPECT_EQ(std::ranges::count_if(texts,
                                    [&](const Shape* text) {
                                      return text->text == stage.at("name").get<std::string>();
                                    }),
              1);
  }
  // After reset the only bars are the stocks on hand (100, 100 and 200),
  // drawn to one scale.
  const auto bars = shapes_of(picture.frames[0], ShapeKind::rect);
  ASSERT_EQ(bars.size(), size_t(stages));
  const Color stock_color = bars[0]->fill;
  EXPECT_NEAR(bars[2]->points[3], 2 * bars[0]->points[3], 1e-4f);
  EXPECT_NEAR(bars[1]->points[3], bars[0]->points[3], 1e-4f);
  EXPECT_TRUE(shapes_of(picture.frames[0], ShapeKind::circle).empty());

  bool bars_changed = false;
  for (size_t t = 1; t < picture.frames.size(); ++t) {
    const Drawing& frame = picture.frames[t];
    const nlohmann::json& state = recording.episode().steps[t].state;
    // A stock bar per stage holding stock, a dot per period with units in
    // transit and per stage whose supplier owes it units.
    size_t stocked = 0, dots = 0;
    for (int stage = 0; stage < stages; ++stage) {
      stocked += state.at("on_hand")[stage][0].get<int64_t>() > 0;
      for (const auto& units : state.at("pipeline")[stage][0]) dots += units.get<int64_t>() > 0;
      dots += state.at("order_backlog")[stage][0].get<int64_t>() > 0;
    }
    EXPECT_EQ(shapes_of(frame, ShapeKind::rect, stock_color).size(), stocked) << "step " << t;
    EXPECT_EQ(shapes_of(frame, ShapeKind::circle).size(), dots) << "step " << t;
    bars_changed |= frame.to_json() != picture.frames[t - 1].to_json();
  }
  EXPECT_TRUE(bars_changed);
}

}  // namespace
}  // namespace twinrl::viewer

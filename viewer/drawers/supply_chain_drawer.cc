// SupplyChain: raw material on the left, the stages as boxes by their distance
// from it, customers on the right. A box holds a bar of stock on hand per SKU
// (teal, from the bottom) and of customer backlog (red, from the top); the
// link from its supplier carries a dot per period of the pipeline, its area
// the units arriving then, and a red dot below it when the supplier owes. At
// the customers, a bar per retailer shows last period's demand, sold part
// green, unmet part red.
#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "viewer/drawers/drawers.h"

namespace twinrl::viewer {
namespace {

constexpr Color kBackground = Color::rgb(247, 247, 244);
constexpr Color kNode = Color::rgb(228, 225, 216);
constexpr Color kNodeEdge = Color::rgb(168, 163, 152);
constexpr Color kBox = Color::rgb(255, 255, 255);
constexpr Color kBoxEdge = Color::rgb(138, 143, 152);
constexpr Color kLink = Color::rgb(180, 185, 193);
constexpr Color kStock = Color::rgb(74, 156, 140);
constexpr Color kShortage = Color::rgb(208, 71, 62);
constexpr Color kTransit = Color::rgb(91, 132, 196);
constexpr Color kSold = Color::rgb(106, 168, 106);
constexpr Color kText = Color::rgb(60, 63, 68);

constexpr float kNodeWidth = 1.0f, kBoxWidth = 2.0f, kBoxHeight = 3.0f, kLinkLength = 3.0f;
constexpr float kRowPitch = 4.6f, kTop = 1.4f, kPad = 0.2f, kFont = 0.36f;
constexpr float kArrowLength = 0.3f, kMaxDotRadius = 0.3f, kMinDotRadius = 0.06f;

// Where the network's parts are: stage boxes by their distance from raw
// material (columns) and by the order of the retailers under them (rows).
struct NetworkLayout {
  std::vector<float> box_x, centre_y;  // per stage: the box's left edge and middle
  float customers_x = 0;               // the customers' node's left edge
  float bottom = 0;                    // of the lowest box
};

NetworkLayout layout_network(const nlohmann::json& stages) {
  const int count = static_cast<int>(stages.size());
  std::vector<int> supplier(count);
  std::vector<std::vector<int>> customers(count);
  for (int stage = 0; stage < count; ++stage) {
    supplier[stage] = stages.at(stage).at("supplier").get<int>();
    if (supplier[stage] >= 0) customers.at(supplier[stage]).push_back(stage);
  }
  NetworkLayout layout;
  layout.box_x.resize(count);
  layout.centre_y.resize(count);
  int next_row = 0, deepest = 0;
  // Retailers take the next row; a supplier sits level with the middle of its customers.
  const std::function<void(int, int)> place = [&](int stage, int depth) {
    deepest = std::max(deepest, depth);
    layout.box_x[stage] = kNodeWidth + kLinkLength + depth * (kBoxWidth + kLinkLength);
    if (customers[stage].empty()) {
      layout.centre_y[stage] = kTop + kBoxHeight / 2 + kRowPitch * static_cast<float>(next_row++);
      return;
    }
    float sum = 0;
    for (int customer : customers[stage]) {
      place(customer, depth + 1);
      sum += layout.centre_y[customer];
    }
    layout.centre_y[stage] = sum / static_cast<float>(customers[stage].size());
  };
  for (int stage = 0; stage < count; ++stage)
    if (supplier[stage] < 0) place(stage, 0);
  layout.customers_x = kNodeWidth + kLinkLength + (deepest + 1) * (kBoxWidth + kLinkLength);
  layout.bottom = kTop + kBoxHeight + kRowPitch * static_cast<float>(std::max(0, next_row - 1));
  return layout;
}

// A line from (x0, y0) to (x1, y1) with an arrowhead at its end.
void arrow(Drawing& drawing, float x0, float y0, float x1, float y1) {
  const float length = std::hypot(x1 - x0, y1 - y0);
  const float ux = (x1 - x0) / length, uy = (y1 - y0) / length;
  const float bx = x1 - kArrowLength * ux, by = y1 - kArrowLength * uy;
  drawing.polyline({x0, y0, bx, by}, kLink, 0.06f);
  const float half = kArrowLength / 2;
  drawing.polygon({x1, y1, bx - half * uy, by + half * ux, bx + half * uy, by - half * ux}, kLink);
}

// The radius of a dot whose area shows `units` of at most `full`.
float dot_radius(double units, double full, float largest) {
  return std::max(kMinDotRadius,
                  largest * static_cast<float>(std::sqrt(std::min(1.0, units / full))));
}

int64_t sum(const nlohmann::json& values) {
  int64_t total = 0;
  for (const auto& value : values) total += value.get<int64_t>();
  return total;
}

class SupplyChainDrawer final : public StepDrawer {
 public:
  // `bar_units`: the units of a full bar, shared by every bar of the episode.
  SupplyChainDrawer(NetworkLayout layout, double bar_units)
      : layout_(std::move(layout)), bar_units_(bar_units) {}

 protected:
  Drawing background(const nlohmann::json& scene) const override {
    const nlohmann::json& stages = scene.at("stages");
    const float right = layout_.customers_x + kNodeWidth;
    Drawing drawing({-0.3f, 0, right + 1, layout_.bottom + 0.9f, /*y_up=*/false}, kBackground);
    const float node_height = layout_.bottom - kTop;
    drawing.rect(0, kTop, kNodeWidth, node_height, kNode, kNodeEdge, 0.05f);
    drawing.text(0, kTop - 0.2f, "raw material", kFont, kText);
    drawing.rect(layout_.customers_x, kTop, kNodeWidth, node_height, kNode, kNodeEdge, 0.05f);
    drawing.text(layout_.customers_x, kTop - 0.2f, "customers", kFont, kText);
    for (size_t stage = 0; stage < stages.size(); ++stage) {
      const float x = layout_.box_x[stage], y = layout_.centre_y[stage];
      const auto [from_x, from_y] = link_start(stages, stage);
      arrow(drawing, from_x, from_y, x, y);
      if (stages.at(stage).at("retailer").get<bool>())
        arrow(drawing, x + kBoxWidth, y, layout_.customers_x, y);
      drawing.rect(x, y - kBoxHeight / 2, kBoxWidth, kBoxHeight, kBox, kBoxEdge, 0.05f);
      drawing.text(x, y - kBoxHeight / 2 - 0.2f, stages.at(stage).at("name").get<std::string>(),
                   kFont, kText);
    }
    return drawing;
  }

  void foreground(const nlohmann::json& scene, const nlohmann::json& state,
                  Drawing& out) const override {
    const nlohmann::json& stages = scene.at("stages");
    out.text(0, 0.6f, "period " + std::to_string(state.at("period").get<int>()), kFont, kText);
    for (size_t stage = 0; stage < stages.size(); ++stage) {
      draw_stock(state, stage, out);
      draw_pipeline(stages, state, stage, out);
      if (stages.at(stage).at("retailer").get<bool>()) draw_sales(state, stage, out);
    }
  }

 private:
  // Where the link into `stage` starts: its supplier's box or raw material.
  std::pair<float, float> link_start(const nlohmann::json& stages, size_t stage) const {
    const int supplier = stages.at(stage).at("supplier").get<int>();
    if (supplier < 0) return {kNodeWidth, layout_.centre_y[stage]};
    return {layout_.box_x[supplier] + kBoxWidth, layout_.centre_y[supplier]};
  }

  float bar_height(int64_t units, float full_height) const {
    return full_height * static_cast<float>(std::min(1.0, static_cast<double>(units) / bar_units_));
  }

  void draw_stock(const nlohmann::json& state, size_t stage, Drawing& out) const {
    const nlohmann::json& on_hand = state.at("on_hand").at(stage);
    const nlohmann::json& backlog = state.at("customer_backlog").at(stage);
    const float x = layout_.box_x[stage] + kPad,
                top = layout_.centre_y[stage] - kBoxHeight / 2 + kPad;
    const float inner_height = kBoxHeight - 2 * kPad;
    const float bar_width = (kBoxWidth - 2 * kPad) / static_cast<float>(on_hand.size());
    for (size_t sku = 0; sku < on_hand.size(); ++sku) {
      const float bar_x = x + bar_width * static_cast<float>(sku);
      const float stock = bar_height(on_hand[sku].get<int64_t>(), inner_height);
      if (stock > 0) out.rect(bar_x, top + inner_height - stock, bar_width * 0.9f, stock, kStock);
      const float shortage = bar_height(backlog.at(sku).get<int64_t>(), inner_height);
      if (shortage > 0) out.rect(bar_x, top, bar_width * 0.9f, shortage, kShortage);
    }
    const float text_y = layout_.centre_y[stage] + kBoxHeight / 2 + 0.45f;
    out.text(layout_.box_x[stage], text_y, "stock " + std::to_string(sum(on_hand)), kFont, kText);
    if (const int64_t waiting = sum(backlog); waiting > 0)
      out.text(layout_.box_x[stage], text_y + 0.45f, "backlog " + std::to_string(waiting), kFont,
               kShortage);
  }

  // A dot per period ahead, the nearest arrival next to the stage.
  void draw_pipeline(const nlohmann::json& stages, const nlohmann::json& state, size_t stage,
                     Drawing& out) const {
    const auto [x0, y0] = link_start(stages, stage);
    const float x1 = layout_.box_x[stage] - kArrowLength, y1 = layout_.centre_y[stage];
    const int periods = stages.at(stage).at("lead_time_max").get<int>();
    const auto capacity = stages.at(stage).at("capacity").get<double>();
    const nlohmann::json& pipeline = state.at("pipeline").at(stage);
    const float spacing = std::hypot(x1 - x0, y1 - y0) / static_cast<float>(std::max(periods, 1));
    const float largest = std::min(kMaxDotRadius, 0.45f * spacing);
    int64_t in_transit = 0;
    for (int ahead = 0; ahead < periods; ++ahead) {
      int64_t units = 0;
      for (const auto& slots : pipeline) units += slots.at(ahead).get<int64_t>();
      in_transit += units;
      if (units == 0) continue;
      const float along = 1 - (static_cast<float>(ahead) + 0.5f) / static_cast<float>(periods);
      out.circle(x0 + along * (x1 - x0), y0 + along * (y1 - y0),
                 dot_radius(static_cast<double>(units), capacity, largest), kTransit);
    }
    if (in_transit > 0)
      out.text(0.5f * (x0 + x1) - 0.3f, 0.5f * (y0 + y1) - 0.4f, std::to_string(in_transit), kFont,
               kTransit);
    // Below the link's start, clear of the pipeline's dots.
    if (const int64_t owed = sum(state.at("order_backlog").at(stage)); owed > 0) {
      out.circle(x0 + 0.1f + kMaxDotRadius, y0 + 0.5f,
                 dot_radius(static_cast<double>(owed), capacity, kMaxDotRadius), kShortage);
      out.text(x0 + 0.2f + 2 * kMaxDotRadius, y0 + 0.62f, "owed " + std::to_string(owed), kFont,
               kShortage);
    }
  }

  void draw_sales(const nlohmann::json& state, size_t stage, Drawing& out) const {
    const nlohmann::json& demand = state.at("demand").at(stage);
    const nlohmann::json& sold = state.at("sold").at(stage);
    const float inner_height = kBoxHeight - 2 * kPad;
    const float bottom = layout_.centre_y[stage] + kBoxHeight / 2 - kPad;
    const float bar_width = (kNodeWidth - 2 * kPad) / static_cast<float>(demand.size());
    for (size_t sku = 0; sku < demand.size(); ++sku) {
      const int64_t wanted = demand[sku].get<int64_t>();
      const float x = layout_.customers_x + kPad + bar_width * static_cast<float>(sku);
      const float total = bar_height(wanted, inner_height);
      const float served = bar_height(std::min(wanted, sold.at(sku).get<int64_t>()), inner_height);
      if (total > served) out.rect(x, bottom - total, bar_width * 0.9f, total - served, kShortage);
      if (served > 0) out.rect(x, bottom - served, bar_width * 0.9f, served, kSold);
    }
    out.text(layout_.box_x[stage] + kBoxWidth + 0.2f, layout_.centre_y[stage] - 0.2f,
             "sold " + std::to_string(sum(sold)) + " of " + std::to_string(sum(demand)), kFont,
             kText);
  }

  NetworkLayout layout_;
  double bar_units_;
};

// Lays the episode's network out and scales its bars to the most units any
// stage held, owed its customers or was asked for in the episode, so that
// bars compare across stages and steps.
class SupplyChainSceneDrawer final : public SceneDrawer {
 public:
  EpisodePicture draw(const RolloutEpisode& episode) const override {
    int64_t most = 1;
    for (const RolloutStep& step : episode.steps)
      for (const char* key : {"on_hand", "customer_backlog", "demand"})
        for (const auto& stage : step.state.at(key))
          for (const auto& units : stage) most = std::max(most, units.get<int64_t>());
    return SupplyChainDrawer(layout_network(episode.scene.at("stages")), static_cast<double>(most))
        .draw(episode);
  }
};

}  // namespace

std::unique_ptr<SceneDrawer> make_supply_chain_drawer() {
  return std::make_unique<SupplyChainSceneDrawer>();
}

}  // namespace twinrl::viewer

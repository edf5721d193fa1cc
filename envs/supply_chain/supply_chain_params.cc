#include "envs/supply_chain/supply_chain_params.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "config/csv_table.h"

namespace twinrl {
namespace {

constexpr const char* kRawMaterial = "raw_material";

template <class T>
void check_stage_list(const ConfigNode& stages_node, const char* key, const std::vector<T>& list,
                      size_t stages, bool may_be_empty) {
  if (list.size() == stages || (may_be_empty && list.empty())) return;
  stages_node.child(key).fail("expected one entry per stage (" + std::to_string(stages) +
                              (may_be_empty ? ", or none" : "") + "), got " +
                              std::to_string(list.size()));
}

void check_network(const ConfigNode& node, const StageParams& stages) {
  const size_t count = stages.names.size();
  if (count == 0) node.child("names").fail("a supply chain needs at least one stage");
  for (size_t i = 0; i < count; ++i) {
    if (stages.names[i] == kRawMaterial)
      node.child("names").fail("'raw_material' is reserved for the unlimited source");
    if (std::count(stages.names.begin(), stages.names.end(), stages.names[i]) > 1)
      node.child("names").fail("stage name '" + stages.names[i] + "' appears twice");
  }
  check_stage_list(node, "supplier", stages.supplier, count, false);
  check_stage_list(node, "initial_inventory", stages.initial_inventory, count, false);
  check_stage_list(node, "capacity", stages.capacity, count, false);
  check_stage_list(node, "lead_time", stages.lead_time, count, false);
  check_stage_list(node, "lead_time_max", stages.lead_time_max, count, true);
  check_stage_list(node, "holding_cost", stages.holding_cost, count, false);
  check_stage_list(node, "transit_holding_cost", stages.transit_holding_cost, count, true);
  check_stage_list(node, "penalty", stages.penalty, count, false);
  for (size_t i = 0; i < stages.lead_time_max.size(); ++i) {
    if (stages.lead_time_max[i] < stages.lead_time[i])
      node.child("lead_time_max")
          .fail("stage '" + stages.names[i] + "': lead_time_max " +
                std::to_string(stages.lead_time_max[i]) + " is below its lead_time " +
                std::to_string(stages.lead_time[i]));
  }
  for (size_t i = 0; i < count; ++i) {
    const std::string& supplier = stages.supplier[i];
    if (supplier != kRawMaterial && std::ranges::find(stages.names, supplier) == stages.names.end())
      node.child("supplier")
          .fail("stage '" + stages.names[i] + "': unknown supplier '" + supplier +
                "' (a stage name or raw_material)");
  }
  // Following suppliers upstream from any stage must reach raw material.
  const std::vector<int> suppliers = supplier_indices(stages);
  for (size_t i = 0; i < count; ++i) {
    int stage = static_cast<int>(i);
    for (size_t hops = 0; stage >= 0; ++hops, stage = suppliers[stage]) {
      if (hops > count)
        node.child("supplier")
            .fail("the suppliers of stage '" + stages.names[i] +
                  "' form a cycle; every chain must end at raw_material");
    }
  }
}

void load_history(const ConfigNode& node, DemandParams& demand, size_t streams, int periods) {
  const ConfigNode file_node = node.child("history_file");
  if (demand.history_file.empty())
    file_node.fail("demand model 'history' needs a history_file (a CSV of past demand)");
  namespace fs = std::filesystem;
  fs::path path(demand.history_file);
  // Relative to the config file; stored absolute so that a run's resolved config finds it too.
  if (path.is_relative() && !file_node.source_name().empty())
    path = fs::path(file_node.source_name()).parent_path() / path;
  demand.history_file = fs::absolute(path).lexically_normal().string();
  if (demand.history_columns.size() != 1 && demand.history_columns.size() != streams)
    node.child("history_columns")
        .fail("expected one column, or one per retailer and SKU (" + std::to_string(streams) +
              "), got " + std::to_string(demand.history_columns.size()));
  try {
    demand.history = std::make_shared<const DemandHistory>(
        read_demand_history(demand.history_file, demand.history_columns));
  } catch (const CsvError& error) {
    file_node.fail(error.what());
  }
  if (demand.history->periods() < periods)
    file_node.fail(demand.history_file + ": " + std::to_string(demand.history->periods()) +
                   " rows of demand, fewer than the " + std::to_string(periods) +
                   " periods of an episode");
}

void check_levels(const ConfigNode& node, const char* key, const std::vector<double>& levels,
                  size_t items) {
  if (!levels.empty() && levels.size() != items)
    node.child(key).fail("expected one level per stage and SKU (" + std::to_string(items) +
                         "), got " + std::to_string(levels.size()));
}

}  // namespace

std::vector<int> supplier_indices(const StageParams& stages) {
  std::vector<int> indices;
  for (const std::string& supplier : stages.supplier) {
    const auto found = std::ranges::find(stages.names, supplier);
    indices.push_back(found == stages.names.end() ? -1
                                                  : static_cast<int>(found - stages.names.begin()));
  }
  return indices;
}

std::vector<int> retailer_stages(const StageParams& stages) {
  std::vector<int> retailers;
  for (size_t i = 0; i < stages.names.size(); ++i)
    if (std::ranges::find(stages.supplier, stages.names[i]) == stages.supplier.end())
      retailers.push_back(static_cast<int>(i));
  return retailers;
}

void SupplyChainParams::validate(const ConfigNode& node) {
  check_network(node.child("stages"), stages);
  if (sku_demand_weights.empty())
    node.child("sku_demand_weights").fail("expected at least one SKU");
  if (discrete_levels == 1)
    node.child("discrete_levels").fail("1 level leaves no choice; use 0 (continuous) or >= 2");
  const ConfigNode demand_node = node.child("demand");
  if (demand.model == "uniform" && demand.low > demand.high)
    demand_node.child("low").fail("uniform demand: low is above high");
  const size_t skus = sku_demand_weights.size();
  if (demand.model == "history")
    load_history(demand_node, demand, retailer_stages(stages).size() * skus, periods);
  const ConfigNode baselines_node = node.child("baselines");
  const size_t items = stages.names.size() * skus;
  check_levels(baselines_node, "base_stock_levels", baselines.base_stock_levels, items);
  check_levels(baselines_node, "order_caps", baselines.order_caps, items);
  check_levels(baselines_node, "reorder_points", baselines.reorder_points, items);
  check_levels(baselines_node, "order_up_to", baselines.order_up_to, items);
  if (baselines.reorder_points.empty() != baselines.order_up_to.empty())
    baselines_node.fail("give both reorder_points and order_up_to, or neither");
  for (size_t i = 0; i < baselines.reorder_points.size(); ++i)
    if (baselines.reorder_points[i] > baselines.order_up_to[i])
      baselines_node.child("order_up_to")
          .fail("entry " + std::to_string(i) + " is below its reorder point");
}

}  // namespace twinrl

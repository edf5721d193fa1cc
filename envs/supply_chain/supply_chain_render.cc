// What a viewer draws of a supply chain: the network once, then each stage's
// stock, pipeline, backlogs and last period's flows, as [stage][sku] arrays.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "envs/supply_chain/supply_chain_env.h"

namespace twinrl {

void SupplyChainEnv::render_scene(nlohmann::json& scene) const {
  const StageParams& stages = params_.stages;
  const std::vector<int> retailers = retailer_stages(stages);
  nlohmann::json stage_list = nlohmann::json::array();
  for (int stage = 0; stage < model_.num_stages(); ++stage) {
    stage_list.push_back(
        {{"name", stages.names[stage]},
         {"supplier", model_.supplier(stage)},
         {"capacity", stages.capacity[stage]},
         {"lead_time", stages.lead_time[stage]},
         {"lead_time_max",
          stages.lead_time_max.empty() ? stages.lead_time[stage] : stages.lead_time_max[stage]},
         {"retailer", std::ranges::find(retailers, stage) != retailers.end()}});
  }
  scene = {{"stages", std::move(stage_list)},
           {"skus", model_.num_skus()},
           {"pipeline_length", model_.max_lead_time()},
           {"backlog", params_.backlog},
           {"periods", params_.periods}};
}

void SupplyChainEnv::render_state(nlohmann::json& state) const {
  const int skus = model_.num_skus();
  // [stage][sku] of one value per item.
  const auto per_stage = [&](auto value_of_item) {
    nlohmann::json stages = nlohmann::json::array();
    for (int stage = 0; stage < model_.num_stages(); ++stage) {
      nlohmann::json row = nlohmann::json::array();
      for (int sku = 0; sku < skus; ++sku) row.push_back(value_of_item(stage * skus + sku));
      stages.push_back(std::move(row));
    }
    return stages;
  };
  const auto stage_rows = [&](const std::vector<int64_t>& values) {
    return per_stage([&](int item) { return values[item]; });
  };
  state = {{"period", period_},
           {"on_hand", stage_rows(on_hand_)},
           {"pipeline", per_stage([&](int item) {
              std::vector<int64_t> arriving(model_.max_lead_time());
              for (int ahead = 0; ahead < std::ssize(arriving); ++ahead)
                arriving[ahead] = pipeline(item, period_ + ahead);
              return arriving;
            })},
           {"order_backlog", stage_rows(order_backlog_)},
           {"customer_backlog", stage_rows(customer_backlog_)},
           {"ordered", stage_rows(last_ordered_)},
           {"shipped", stage_rows(last_shipped_)},
           {"demand", stage_rows(last_demand_)},
           {"sold", stage_rows(last_sold_)}};
}

}  // namespace twinrl

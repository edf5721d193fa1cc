#pragma once
// A multi-echelon supply chain in discrete periods, with the order of events of
// OR-Gym's InvManagement (Hubbs et al. 2020): each stage orders from its
// supplier (capped by the capacity and the supplier's stock on hand), shipments
// that are due arrive, customer demand is met from stock at the retailers, the
// rest is backlogged or lost, and stock on hand (and optionally in transit)
// pays holding. The reward is the chain's discounted profit of the period.
#include <cstdint>
#include <vector>

#include "core/env.h"
#include "envs/supply_chain/supply_chain_params.h"

namespace twinrl {

// An "item" is one SKU at one stage: item = stage * num_skus + sku.
class SupplyChainModel : public EnvModel {
 public:
  explicit SupplyChainModel(const SupplyChainParams& params);
  // The stock policies, and for a single-stage lost-sales config also the
  // myopic and the optimal policy (lost_sales.h).
  std::vector<std::string> baseline_names() const override;
  std::unique_ptr<BaselinePolicy> make_baseline(const std::string& name,
                                                uint64_t seed) const override;

  const SupplyChainParams& params() const { return params_; }

  int num_stages() const { return num_stages_; }
  int num_skus() const { return num_skus_; }
  int num_items() const { return num_stages_ * num_skus_; }
  int stage_of(int item) const { return item / num_skus_; }
  int sku_of(int item) const { return item % num_skus_; }
  // The stage supplying `stage`; -1 for raw material.
  int supplier(int stage) const { return suppliers_[stage]; }
  // The stages whose stock counts in `stage`'s echelon: itself and all downstream.
  std::span<const int> echelon(int stage) const;
  // The stages that order from `stage`.
  std::span<const int> customers(int stage) const;
  // The items where customer demand arrives: retailer stages times SKUs.
  const std::vector<int>& demand_items() const { return demand_items_; }
  // Expected demand per period of demand item `stream` (before seasonality).
  double mean_demand(int stream) const;
  // Periods a shipment to `stage` spends in transit, on average.
  double mean_lead_time(int stage) const;
  // Periods an order placed at `stage` needs to reach a customer, on average:
  // its mean lead time plus its longest customer's echelon lead time.
  double echelon_lead_time(int stage) const;
  // The longest lead time of any stage: the pipeline's length.
  int max_lead_time() const { return max_lead_time_; }
  // Periods of arriving shipments per item in the observation.
  int observed_pipeline() const { return observed_pipeline_; }

  // An item's action as a fraction in [0, 1] of its range <-> that action.
  double action_fraction(const ActionRef& action, int item) const;
  void write_action_fraction(const ActionOutput& out, int item, double fraction) const;
  // What an item's action ranges over: its capacity (action_mode order), or
  // capacity x (echelon lead time + 1) (order_up_to).
  double action_range(int item) const { return action_ranges_[item]; }
  bool orders_up_to() const { return orders_up_to_; }
  // Order quantity <-> action in action_mode order (SupplyChainEnv's own
  // order_quantity and write_order serve both modes).
  int64_t order_quantity(const ActionRef& action, int item) const;
  void write_order(const ActionOutput& out, int item, int64_t quantity) const;

 protected:
  std::unique_ptr<Env> create_env() const override;

 private:
  SupplyChainParams params_;
  int num_stages_ = 0, num_skus_ = 0, max_lead_time_ = 0, observed_pipeline_ = 0;
  std::vector<int> suppliers_;
  std::vector<int> echelon_offsets_, echelon_stages_;    // CSR: echelon(s)
  std::vector<int> customer_offsets_, customer_stages_;  // CSR: customers(s)
  std::vector<int> demand_items_;
  std::vector<double> action_ranges_;
  bool orders_up_to_ = false;
};

class SupplyChainEnv : public EnvWithParams<SupplyChainParams> {
 public:
  explicit SupplyChainEnv(const SupplyChainModel& model);

  StepStatus step(const ActionRef& action, const EnvOutput& out) override;
  // profit, fill_rate, stockouts, mean_inventory, bullwhip_ratio.
  void episode_kpis(std::span<float> out) const override;
  // The network and its stock, pipeline, backlog and last period's flows
  // (supply_chain_render.cc; the keys are in the README, "Render state").
  void render_scene(nlohmann::json& scene) const override;
  void render_state(nlohmann::json& state) const override;

  const SupplyChainModel& model() const { return model_; }
  int period() const { return period_; }
  int64_t on_hand(int item) const { return on_hand_[item]; }
  int64_t in_transit(int item) const { return in_transit_[item]; }
  // Units shipped to the item that arrive `periods_ahead` periods from now
  // (0: this period's, which arrive in the next step before demand); at most
  // the longest lead time ahead.
  int64_t arriving(int item, int periods_ahead) const {
    return pipeline(item, period_ + periods_ahead);
  }
  // Units the item's supplier still owes it (backlog mode).
  int64_t order_backlog(int item) const { return order_backlog_[item]; }
  // Customer demand waiting at a retailer item (backlog mode).
  int64_t customer_backlog(int item) const { return customer_backlog_[item]; }
  // Stock on hand and in transit in the item's echelon, less its customer
  // backlog, plus what its supplier owes it: what an echelon base-stock policy
  // orders up from.
  int64_t echelon_position(int item) const;
  // The order an action places now, and the action that places `quantity`
  // now, in either action_mode (scripted policies write their orders here).
  int64_t order_quantity(const ActionRef& action, int item) const;
  void write_order(const ActionOutput& out, int item, int64_t quantity) const;
  // The discounted profit of the episode so far.
  double episode_profit() const { return profit_; }
  // What the last period did (zero after a reset or a load): what a
  // facility's logs record (twins/), and what the render state shows.
  int64_t last_shipped(int item) const { return last_shipped_[item]; }
  int64_t last_demand(int item) const { return last_demand_[item]; }
  int64_t last_sold(int item) const { return last_sold_[item]; }
  // The lead time of what the stage's supplier shipped to it last period.
  int last_lead_time(int stage) const { return last_lead_time_[stage]; }

 protected:
  void reset_episode(const EnvOutput& out) override;
  void archive_state(StateArchive& state) override;

 private:
  int64_t& pipeline(int item, int period) {
    return pipeline_[item * pipeline_slots_ + period % pipeline_slots_];
  }
  int64_t pipeline(int item, int period) const {
    return pipeline_[item * pipeline_slots_ + period % pipeline_slots_];
  }
  int64_t draw_demand(int stream);
  // Cuts the amounts in shipped_ of `count` items (item_of(k)) to `available`
  // units in all, in proportion to the amounts.
  template <class ItemOf>
  void ration(int count, ItemOf item_of, int64_t available);
  void observe(float* observation);
  void clear_last_period();

  const SupplyChainModel& model_;
  const int pipeline_slots_;
  // State.
  int period_ = 0;
  int history_start_ = 0;
  std::vector<int64_t> on_hand_, in_transit_, order_backlog_, customer_backlog_, pipeline_;
  // Episode statistics for the KPIs.
  double profit_ = 0, demand_units_ = 0, filled_on_time_ = 0, inventory_sum_ = 0;
  double stockouts_ = 0;
  double demand_sum_ = 0, demand_square_sum_ = 0, order_sum_ = 0, order_square_sum_ = 0;
  // What the last period did, per item (lead times per stage), for
  // render_state and the logs only: the dynamics never read it, so it is not
  // checkpointed (zero after a reset or a load).
  std::vector<int64_t> last_ordered_, last_shipped_, last_demand_, last_sold_;
  std::vector<int> last_lead_time_;
  // Scratch of one step.
  std::vector<int64_t> requested_, shipped_, owed_downstream_;
};

}  // namespace twinrl

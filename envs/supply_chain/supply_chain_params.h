#pragma once
// The parameters of a supply chain: a network of stock-holding stages, each
// ordering from one supplier (another stage or raw material with unlimited
// supply), customer demand at the stages nobody orders from, and the costs.
// The defaults are OR-Gym's InvManagement-v1 (Hubbs et al. 2020, or_gym/envs/
// supply_chain/inventory_management.py): retailer <- distributor <- factory <-
// raw material, lost sales; `backlog: true` gives InvManagement-v0.
#include <memory>
#include <string>
#include <vector>

#include "config/config_node.h"
#include "envs/supply_chain/demand_history.h"

namespace twinrl {

// One entry per stock-holding stage in every list (a list left empty takes its
// default for every stage where that is documented).
struct StageParams {
  std::vector<std::string> names = {"retailer", "distributor", "factory"};
  std::vector<std::string> supplier = {"distributor", "factory", "raw_material"};
  std::vector<int> initial_inventory = {100, 100, 200};
  std::vector<int> capacity = {100, 90, 80};
  std::vector<int> lead_time = {3, 5, 10};
  std::vector<int> lead_time_max = {};
  std::vector<double> holding_cost = {0.15, 0.10, 0.05};
  std::vector<double> transit_holding_cost = {};
  std::vector<double> penalty = {0.10, 0.075, 0.05};

  template <class Visitor>
  void visit(Visitor& v) {
    v("names", names, {.doc = "stage names, for suppliers and messages"});
    v("supplier", supplier,
      {.doc = "each stage's supplier: another stage's name or raw_material (unlimited supply)"});
    v("initial_inventory", initial_inventory,
      {.doc = "on-hand units at the start of an episode (per SKU, times its demand weight)",
       .min = 0});
    v("capacity", capacity,
      {.doc = "most units the supplier ships to the stage per period, all SKUs together; "
              "the action range",
       .min = 1});
    v("lead_time", lead_time, {.doc = "periods from shipment to arrival", .min = 0, .max = 1000});
    v("lead_time_max", lead_time_max,
      {.doc = "empty: fixed lead times; else each shipment's lead time is uniform in "
              "[lead_time, lead_time_max]",
       .min = 0,
       .max = 1000});
    v("holding_cost", holding_cost, {.doc = "per unit on hand at the end of a period", .min = 0});
    v("transit_holding_cost", transit_holding_cost,
      {.doc = "per unit in transit to the stage at the end of a period (empty: none)", .min = 0});
    v("penalty", penalty,
      {.doc = "per unit of customer demand or downstream orders the stage fails to fill in a "
              "period (backlog or goodwill cost)",
       .min = 0});
  }
};

struct DemandParams {
  std::string model = "poisson";
  double mean = 20;
  double dispersion = 5;
  double low = 0;
  double high = 40;
  double seasonal_amplitude = 0;
  int seasonal_period = 12;
  std::vector<double> profile = {};
  std::string history_file;
  std::vector<std::string> history_columns = {"demand"};
  bool history_random_start = true;

  // Filled by validate() from history_file: the replayed demand.
  std::shared_ptr<const DemandHistory> history;

  template <class Visitor>
  void visit(Visitor& v) {
    v("model", model,
      {.doc = "customer demand per period at each retailer and SKU",
       .choices = {"poisson", "negative_binomial", "uniform", "history"}});
    v("mean", mean, {.doc = "poisson and negative_binomial: mean units per period", .min = 0});
    v("dispersion", dispersion,
      {.doc = "negative_binomial: r in variance = mean + mean^2 / r", .min = 1e-6});
    v("low", low, {.doc = "uniform: fewest units per period", .min = 0});
    v("high", high, {.doc = "uniform: most units per period", .min = 0});
    v("seasonal_amplitude", seasonal_amplitude,
      {.doc = "parametric models: demand scaled by 1 + amplitude * sin(2 pi t / period)",
       .min = 0,
       .max = 1});
    v("seasonal_period", seasonal_period, {.doc = "periods per seasonal cycle", .min = 1});
    v("profile", profile,
      {.doc = "parametric models: demand scaled by profile[t mod its length] at period t (e.g. "
              "7 weekday factors averaging 1, as `twinrl twin calibrate` fits them); empty: none",
       .min = 0});
    v("history_file", history_file,
      {.doc = "history: CSV with a header row, one row per period (relative to the config file)"});
    v("history_columns", history_columns,
      {.doc = "history: the CSV column of each retailer and SKU (retailers in stage order, "
              "SKUs inside), or one column for all"});
    v("history_random_start", history_random_start,
      {.doc = "history: start each episode at a random row (else at the first)"});
  }
};

// Fixed baseline levels (empty: tuned by simulation) and the tuning budget.
struct BaselineParams {
  std::vector<double> base_stock_levels = {};
  std::vector<double> order_caps = {};
  std::vector<double> reorder_points = {};
  std::vector<double> order_up_to = {};
  int tuning_episodes = 100;
  int tuning_evaluations = 400;

  template <class Visitor>
  void visit(Visitor& v) {
    v("base_stock_levels", base_stock_levels,
      {.doc = "echelon base-stock levels, one per stage and SKU (empty: tuned)", .min = 0});
    v("order_caps", order_caps,
      {.doc = "capped_base_stock: most units ordered per period, one per stage and SKU (empty: "
              "tuned with the levels; the capacities where base_stock_levels are given)",
       .min = 0});
    v("reorder_points", reorder_points,
      {.doc = "(s, S) policy: s per stage and SKU (empty: tuned with order_up_to)", .min = 0});
    v("order_up_to", order_up_to, {.doc = "(s, S) policy: S per stage and SKU", .min = 0});
    v("tuning_episodes", tuning_episodes,
      {.doc = "simulated episodes per candidate (common random numbers)", .min = 1});
    v("tuning_evaluations", tuning_evaluations,
      {.doc = "candidates the derivative-free search may simulate", .min = 10});
  }
};

struct SupplyChainParams {
  int periods = 30;
  bool backlog = false;
  double discount = 0.97;
  double price = 2.0;
  double raw_material_cost = 0.5;
  double raw_material_penalty = 0.025;
  std::vector<double> sku_demand_weights = {1.0};
  int discrete_levels = 0;
  std::string action_mode = "order";
  int observed_pipeline = 0;
  bool observe_periods_left = false;
  StageParams stages;
  DemandParams demand;
  BaselineParams baselines;

  template <class Visitor>
  void visit(Visitor& v) {
    v("periods", periods, {.doc = "periods per episode (the runner truncates there)", .min = 1});
    v("backlog", backlog,
      {.doc = "unfilled demand and orders are backlogged (InvManagement-v0) rather than lost "
              "(v1)"});
    v("discount", discount,
      {.doc = "the reward of period t is discount^t times its profit, as in OR-Gym",
       .min = 1e-6,
       .max = 1.0});
    v("price", price, {.doc = "revenue per unit sold to customers", .min = 0});
    v("raw_material_cost", raw_material_cost,
      {.doc = "cost per unit shipped from raw material (transfers between stages cancel out "
              "in the chain's profit)",
       .min = 0});
    v("raw_material_penalty", raw_material_penalty,
      {.doc = "per unit ordered from raw material beyond the capacity", .min = 0});
    v("sku_demand_weights", sku_demand_weights,
      {.doc = "one per SKU: its demand (and initial inventory) relative to the demand model; "
              "SKUs share each stage's capacity",
       .min = 0});
    v("discrete_levels", discrete_levels,
      {.doc = "0: continuous actions in [-1, 1] scaled to [0, capacity] (see action_mode); "
              "n >= 2: n evenly spaced values of that range (MultiDiscrete)",
       .min = 0});
    v("action_mode", action_mode,
      {.doc = "order: each action is an item's order (a fraction of capacity); order_up_to: "
              "each action is the echelon position to order up to, a fraction of capacity x "
              "(echelon lead time + 1), and the order is what lifts the position there (the "
              "base-stock parametrization: a constant action is a base-stock policy)",
       .choices = {"order", "order_up_to"}});
    v("observed_pipeline", observed_pipeline,
      {.doc = "periods of arriving shipments per item in the observation, later ones summed "
              "into the last (0: the longest lead time); fixed, it keeps a policy's inputs the "
              "same on twins whose lead times differ",
       .min = 0,
       .max = 1000});
    v("observe_periods_left", observe_periods_left,
      {.doc = "the share of the episode's periods still to come ends the observation, and the "
              "last period is a terminal state: a finite horizon, where what arrives too late "
              "to sell is a loss (time-aware agents, Pardo et al. 2018); off, `periods` is a "
              "time limit that learners bootstrap through"});
    v("stages", stages);
    v("demand", demand);
    v("baselines", baselines);
  }

  // Cross-field checks; also resolves and reads the demand history (hence not const).
  void validate(const ConfigNode& node);
};

// The supplying stage of each stage, -1 for raw material (of validated params).
std::vector<int> supplier_indices(const StageParams& stages);
// The stages nobody orders from: where customer demand arrives, in stage order.
std::vector<int> retailer_stages(const StageParams& stages);

}  // namespace twinrl

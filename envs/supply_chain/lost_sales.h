#pragma once
// The single-stage lost-sales inventory problem (Zipkin 2008, "Old and new
// methods for lost-sales inventory systems", Operations Research 56(5)) as a
// SupplyChain config with one stage: its exact optimum by dynamic
// programming, and the myopic policy, as baselines that RL is measured against
// (the gap to optimal is then a number).
//
// Each period: the order goes out (it arrives lead_time periods later), the
// shipment due arrives, demand is served from stock and the rest is lost,
// stock left pays holding. A state is what the order is decided on: the stock
// on hand once this period's shipment is in, and the orders that arrive 1 to
// lead_time - 1 periods from now.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/baseline_policy.h"

namespace twinrl {

class SupplyChainModel;
class SupplyChainEnv;

// The instance of a SupplyChain model. Throws std::invalid_argument, saying
// which condition failed, unless the model has one stage and one SKU, lost
// sales, a fixed lead time of at least one period, no transit holding cost and
// stationary parametric demand.
struct LostSalesInstance {
  int lead_time = 1;
  std::vector<double> demand_pmf;  // P(D = d), the tail beyond 1e-12 folded into the last
  double holding_cost = 0;         // per unit left at the end of a period
  double penalty = 0;              // per unit of demand lost
  double price = 0;                // per unit sold
  double order_cost = 0;           // per unit ordered (the raw material cost)
  double discount = 1;             // 1: the long-run average cost per period
  std::vector<int> orders;         // the order sizes the actions can express, up to max_position
  // Stock on hand and on order is never raised above this: the demand over
  // lead_time + 1 periods stays below it but with a probability a hundred
  // times smaller than the backorder newsvendor's stockout probability.
  int max_position = 0;

  explicit LostSalesInstance(const SupplyChainModel& model);

  // Expected cost of a period that starts with `on_hand` units after the
  // arrival (holding, lost demand, minus sales revenue; orders not included),
  // for on_hand up to max_position plus the largest order.
  double period_cost(int on_hand) const { return period_costs_[on_hand]; }
  // The probability that `left` of `on_hand` units are left after a period's
  // demand (0 <= left <= on_hand, on_hand as for period_cost).
  double left_after_demand(int on_hand, int left) const {
    if (left == 0) return std::max(0.0, demand_at_least_[on_hand]);
    const int demand = on_hand - left;
    return demand < std::ssize(demand_pmf) ? demand_pmf[demand] : 0.0;
  }

 private:
  std::vector<double> period_costs_;
  std::vector<double> demand_at_least_;  // P(D >= y), by subtraction from 1
};

// The optimal stationary policy, by relative value iteration over every state
// whose position (on hand plus on order) is at most max_position.
class LostSalesOptimum {
 public:
  // Throws std::invalid_argument unless fits(instance).
  explicit LostSalesOptimum(const LostSalesInstance& instance);
  // Whether the instance's states are few enough to solve exactly.
  static bool fits(const LostSalesInstance& instance);

  // With discount 1, the optimal long-run average cost per period lies in
  // [cost_lower, cost_upper] (the bounds of the last iteration).
  double cost_lower() const { return cost_lower_; }
  double cost_upper() const { return cost_upper_; }
  int iterations() const { return iterations_; }
  int64_t states() const { return states_; }

  // The optimal order for `on_hand` (after this period's arrival) and
  // `on_order` (arriving 1, 2, ... periods from now: lead_time - 1 numbers);
  // 0 where the position is above max_position.
  int order(int on_hand, const std::vector<int64_t>& on_order) const;

 private:
  LostSalesInstance instance_;
  int64_t stride_ = 1;  // states per unit of on-hand stock: (max_position + 1)^(lead_time - 1)
  int64_t states_ = 0;
  std::vector<int32_t> policy_;  // per dense state index
  double cost_lower_ = 0, cost_upper_ = 0;
  int iterations_ = 0;
};

// The myopic policy (Zipkin 2008, "M1"): the order that minimizes the expected
// order and period cost of the period in which it arrives, given the exact
// distribution of the stock then. The position (on hand plus on order) must
// be at most max_position.
int myopic_order(const LostSalesInstance& instance, int on_hand,
                 const std::vector<int64_t>& on_order);

// Baselines "optimal" and "myopic" of a single-stage lost-sales SupplyChain.
std::unique_ptr<BaselinePolicy> make_lost_sales_policy(const SupplyChainModel& model,
                                                       const std::string& name);

}  // namespace twinrl

#pragma once
// The operations baselines: echelon base-stock and (s, S) policies, their
// levels tuned by a derivative-free search (NLopt's Subplex, then an integer
// coordinate search) over simulated episodes with common random numbers.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/baseline_policy.h"

namespace twinrl {

class SupplyChainModel;

// Per item: when its echelon inventory position is at or below s, order up to
// S (capped by the capacity). Base-stock is the case s = S. With order caps
// (one per item), an order is also no larger than its cap and than what the
// supplier has on hand now, as OR-Gym's base-stock policy does: what cannot
// ship is not ordered, so no penalty is paid for it. With a tuned cap this is
// the "capped base-stock" of the lost-sales literature (Xin 2021, Management
// Science 67(10): order min((S - position)^+, r)). With final periods (one
// per item), an item orders nothing while that many periods or fewer are left
// in the episode: what arrives too late to be sold is not bought.
class EchelonStockPolicy : public BaselinePolicy {
 public:
  EchelonStockPolicy(const SupplyChainModel& model, std::vector<double> reorder_points,
                     std::vector<double> order_up_to, std::vector<double> order_caps = {},
                     std::vector<double> final_periods = {});
  void act(const Env& env, const ActionOutput& out) const override;

  const std::vector<double>& reorder_points() const { return reorder_points_; }
  const std::vector<double>& order_up_to() const { return order_up_to_; }
  const std::vector<double>& order_caps() const { return order_caps_; }
  const std::vector<double>& final_periods() const { return final_periods_; }

 private:
  const SupplyChainModel& model_;
  std::vector<double> reorder_points_, order_up_to_, order_caps_, final_periods_;
};

// The capped base-stock that also stops ordering in its tuned final periods:
// only for episodes that end (twins refuse it).
inline constexpr const char* kHorizonCappedBaseStock = "horizon_capped_base_stock";

// Baseline `name` ("base_stock", "capped_base_stock", "s_S" or
// "horizon_capped_base_stock": the capped one with tuned final periods) with
// the levels of the params, or else tuned on episodes seeded from `seed`.
std::unique_ptr<EchelonStockPolicy> make_stock_policy(const SupplyChainModel& model,
                                                      const std::string& name, uint64_t seed);

// Mean discounted profit of `policy` over `episodes` episodes, episode e seeded
// with stream_seed(seed, e).
double mean_episode_profit(const SupplyChainModel& model, const BaselinePolicy& policy,
                           int episodes, uint64_t seed);

}  // namespace twinrl

// The single-stage lost-sales instances of Zipkin (2008), "Old and new methods
// for lost-sales inventory systems", Operations Research 56(5): Poisson demand
// of mean 5, holding cost 1, lost-sales penalty p in {4, 9, 19, 39}, lead time
// L in {1, 2, 3, 4}. Per instance: the exact optimum by relative value
// iteration (its average cost bounds, states, iterations and time), and the
// long-run average cost per period of the optimal, myopic, tuned capped
// base-stock and tuned base-stock policies simulated on common random numbers.
// Usage: lost_sales_bench [capacity=60] [evaluation periods=20000]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "core/env_registry.h"
#include "envs/supply_chain/lost_sales.h"
#include "envs/supply_chain/stock_policies.h"
#include "envs/supply_chain/supply_chain_env.h"

namespace {

using namespace twinrl;

SupplyChainParams zipkin(int lead_time, double penalty, int capacity, int periods) {
  SupplyChainParams params;
  params.periods = periods;
  params.discount = 1;
  params.price = 0;
  params.raw_material_cost = 0;
  params.raw_material_penalty = 0;
  StageParams& stage = params.stages;
  stage.names = {"store"};
  stage.supplier = {"raw_material"};
  stage.initial_inventory = {5 * (lead_time + 1)};
  stage.capacity = {capacity};
  stage.lead_time = {lead_time};
  stage.holding_cost = {1};
  stage.penalty = {penalty};
  params.demand.model = "poisson";
  params.demand.mean = 5;
  params.baselines.tuning_episodes = 10;
  return params;
}

// Long-run cost per period: minus the profit of `episodes` episodes of the
// model's periods, seeded as the tuning seeds them (other seeds than tuning's).
double average_cost(const SupplyChainModel& model, const BaselinePolicy& policy, int episodes) {
  return -mean_episode_profit(model, policy, episodes, 2026) / model.params().periods;
}

}  // namespace

int main(int argc, char** argv) {
  const int capacity = argc > 1 ? std::atoi(argv[1]) : 60;
  const int evaluation_periods = argc > 2 ? std::atoi(argv[2]) : 20000;
  constexpr int kEpisodes = 4;
  std::printf(
      "| L | p | optimal (DP) | states | iterations | DP time | optimal, simulated | myopic | "
      "capped base-stock | base-stock |\n|---|---|---|---|---|---|---|---|---|---|\n");
  for (int lead_time = 1; lead_time <= 4; ++lead_time) {
    for (double penalty : {4.0, 9.0, 19.0, 39.0}) {
      // Tuned on 10 episodes of 1,000 periods; evaluated on kEpisodes longer ones.
      const auto tuning = make_model<SupplyChainParams, SupplyChainModel>(
          zipkin(lead_time, penalty, capacity, 1000));
      const auto model = make_model<SupplyChainParams, SupplyChainModel>(
          zipkin(lead_time, penalty, capacity, evaluation_periods / kEpisodes));
      const LostSalesInstance instance(*model);
      const auto start = std::chrono::steady_clock::now();
      const LostSalesOptimum optimum(instance);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const auto capped = make_stock_policy(*tuning, "capped_base_stock", 1);
      const auto plain = make_stock_policy(*tuning, "base_stock", 1);
      const auto optimal = model->make_baseline("optimal", 1);
      const auto myopic = model->make_baseline("myopic", 1);
      const EchelonStockPolicy capped_here(*model, capped->reorder_points(), capped->order_up_to(),
                                           capped->order_caps());
      const EchelonStockPolicy plain_here(*model, plain->reorder_points(), plain->order_up_to());
      std::printf(
          "| %d | %g | %.4f-%.4f | %lld | %d | %.2f s | %.3f | %.3f | %.3f (S=%g, r=%g) | "
          "%.3f (S=%g) |\n",
          lead_time, penalty, optimum.cost_lower(), optimum.cost_upper(),
          static_cast<long long>(optimum.states()), optimum.iterations(), seconds,
          average_cost(*model, *optimal, kEpisodes), average_cost(*model, *myopic, kEpisodes),
          average_cost(*model, capped_here, kEpisodes), capped->order_up_to()[0],
          capped->order_caps()[0], average_cost(*model, plain_here, kEpisodes),
          plain->order_up_to()[0]);
      std::fflush(stdout);
    }
  }
  return 0;
}

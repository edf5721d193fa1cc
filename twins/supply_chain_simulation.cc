#include "twins/supply_chain_simulation.h"

#include <vector>

#include "envs/supply_chain/supply_chain_env.h"

namespace twinrl {

SupplyChainLogs simulate_supply_chain_logs(const SupplyChainModel& model,
                                           const FacilityPolicy& policy, int64_t periods,
                                           uint64_t seed) {
  const EnvSpec& spec = model.spec();
  std::unique_ptr<Env> env = model.make_env();
  const auto& chain = static_cast<const SupplyChainEnv&>(*env);
  std::vector<float> observation(spec.observation_space.size()), reward(1);
  std::vector<float> continuous(spec.action_space.size());
  std::vector<int64_t> discrete(spec.action_space.size());
  const bool is_discrete = spec.action_space.is_discrete();
  const EnvOutput out{observation.data(), reward.data(), nullptr};
  env->seed(seed);
  env->reset(out);

  SupplyChainLogs logs;
  const int skus = model.num_skus();
  for (int64_t period = 0; period < periods; ++period) {
    policy(*env, observation,
           is_discrete ? ActionOutput{.discrete = discrete.data()}
                       : ActionOutput{.continuous = continuous.data()});
    env->step(is_discrete ? ActionRef{.discrete = discrete.data()}
                          : ActionRef{.continuous = continuous.data()},
              out);
    for (int item = 0; item < model.num_items(); ++item) {
      const int stage = model.stage_of(item), sku = model.sku_of(item);
      logs.inventory.push_back(
          {.period = period, .stage = stage, .sku = sku, .on_hand = chain.on_hand(item)});
      const int64_t shipped = chain.last_shipped(item);
      const int64_t received = period + chain.last_lead_time(stage);
      if (shipped > 0 && received < periods)
        logs.shipments.push_back({.stage = stage,
                                  .sku = sku,
                                  .shipped = period,
                                  .received = received,
                                  .quantity = shipped});
    }
    for (int item : model.demand_items())
      logs.sales.push_back({.period = period,
                            .stage = item / skus,
                            .sku = item % skus,
                            .sales = chain.last_sold(item)});
  }
  return logs;
}

}  // namespace twinrl

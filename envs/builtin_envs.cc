#include "envs/builtin_envs.h"

#include "envs/classic/cartpole.h"
#include "envs/supply_chain/supply_chain_env.h"
#include "envs/warehouse/warehouse_env.h"

namespace twinrl {

EnvRegistry builtin_envs() {
  EnvRegistry registry;
  registry.add(make_env_entry<CartPoleParams, CartPoleModel>(
      "CartPole", "Balance a pole on a cart (Gymnasium CartPole-v1 dynamics)"));
  registry.add(make_env_entry<warehouse::WarehouseParams, warehouse::WarehouseModel>(
      "Warehouse", "Robots carry shelves to pick stations on a grid (RWARE rules)"));
  registry.add(make_env_entry<SupplyChainParams, SupplyChainModel>(
      "SupplyChain",
      "Multi-echelon inventory: stages order from suppliers through lead times (OR-Gym "
      "InvManagement rules)"));
  return registry;
}

}  // namespace twinrl

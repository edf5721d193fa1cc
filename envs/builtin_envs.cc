#include "envs/builtin_envs.h"

#include "envs/box2d/amr_env.h"
#include "envs/box2d/lander_env.h"
#include "envs/classic/cartpole.h"
#include "envs/robot/arm_env.h"
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
  registry.add(make_env_entry<lander::LanderParams, lander::LanderModel>(
      "Lander", "Land between the flags with main and side engines (Gymnasium LunarLander-v3)"));
  registry.add(make_env_entry<robot::ArmParams, robot::ArmModel>(
      "Arm", "MuJoCo 6-joint arm with a parallel gripper: reach, push or pick and place"));
  registry.add(make_env_entry<amr::AmrParams, amr::AmrModel>(
      "Amr",
      "Differential-drive robot with a lidar reaches pick points in warehouse aisles among people "
      "and robots (Box2D)"));
  return registry;
}

}  // namespace twinrl

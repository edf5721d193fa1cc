#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "agents/evaluate.h"
#include "agents/train.h"
#include "core/vec_env.h"
#include "envs/builtin_envs.h"
#include "envs/supply_chain/stock_policies.h"
#include "envs/supply_chain/supply_chain_env.h"
#include "tests/command_line.h"

namespace twinrl {
namespace {

namespace fs = std::filesystem;

// One store ordering from raw material a period ahead, lost sales: random
// orders (15 a period on average for a demand of 10) pile up stock.
constexpr const char* kStoreConfig = R"(
name: supply_chain_learning
seed: 1
env:
  id: SupplyChain
  num_envs: 16
  params:
    periods: 20
    stages:
      names: [store]
      supplier: [raw_material]
      initial_inventory: [20]
      capacity: [30]
      lead_time: [1]
      holding_cost: [0.2]
      penalty: [0.5]
    demand: {model: poisson, mean: 10}
agent:
  algorithm: ppo
  total_steps: 80000
  checkpoint_every: 80000
  return_window: 100
  ppo:
    rollout_steps: 40
    learning_rate: 0.001
    epochs: 10
    entropy_coef: 0.0
    normalize_rewards: true
)";

double random_policy_profit(const std::shared_ptr<const EnvModel>& model) {
  VecEnv vec_env(model, {.num_envs = 16, .seed = 5});
  vec_env.reset();
  Rng rng(9);
  std::vector<float> actions(16);
  double total = 0;
  int episodes = 0;
  while (episodes < 200) {
    for (float& action : actions) action = static_cast<float>(rng.uniform(-1, 1));
    const BatchView& batch = vec_env.step({actions.data(), nullptr});
    for (int env = 0; env < 16; ++env) {
      if (batch.episode_ended(env)) {
        total += batch.episode_return[env];
        ++episodes;
      }
    }
  }
  return total / episodes;
}

TEST(SupplyChainLearningTest, PpoLearnsToOrderFarBetterThanRandom) {
  const fs::path folder = fs::temp_directory_path() / "twinrl_supply_chain_learning";
  fs::remove_all(folder);
  fs::create_directories(folder);
  std::ofstream(folder / "store.yaml") << kStoreConfig;
  const Experiment experiment =
      load_experiment((folder / "store.yaml").string(), {}, builtin_envs());
  const auto model = std::dynamic_pointer_cast<const SupplyChainModel>(experiment.env_model);
  ASSERT_TRUE(model);
  const double random = random_policy_profit(model);
  const double base_stock =
      mean_episode_profit(*model, *model->make_baseline("base_stock", 1), 200, 2);
  const TrainSummary summary = train(experiment, {.run_dir = folder / "run", .progress = false});
  // The trained (still exploring) policy closes most of the gap to the tuned base-stock.
  EXPECT_GT(summary.recent_return, random + 0.7 * (base_stock - random))
      << "random " << random << ", base-stock " << base_stock;
  fs::remove_all(folder);
}

// OR-Gym's default with the periods left in view and the episode's profit as
// the objective (gamma 1): a short run earns more than the tuned capped
// base-stock on the same episodes (about 508 against 453 per episode).
TEST(SupplyChainLearningTest, PpoThatSeesTheHorizonBeatsTheCappedBaseStockOnOrGymsDefault) {
  const fs::path folder = fs::temp_directory_path() / "twinrl_supply_chain_horizon";
  fs::remove_all(folder);
  const Experiment experiment = load_experiment(
      test_support::source_path("configs/inventory_orgym_ppo.yaml"),
      {"agent.total_steps=1000000", "agent.checkpoint_every=1000000"}, builtin_envs());
  train(experiment, {.run_dir = folder, .progress = false});
  const EvaluationResult trained = evaluate(
      experiment, {.name = "trained", .checkpoint = folder / "checkpoints" / "latest.pt"}, 200, 7);
  const EvaluationResult capped =
      evaluate(experiment, {.name = "capped_base_stock", .checkpoint = {}}, 200, 7);
  const PairedDifference gain = paired_difference(trained.returns, capped.returns);
  EXPECT_GT(gain.mean - gain.half_width, 20)
      << "PPO " << mean_and_std(trained.returns).first << ", capped base-stock "
      << mean_and_std(capped.returns).first;
  fs::remove_all(folder);
}

}  // namespace
}  // namespace twinrl

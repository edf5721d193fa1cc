// Sim-to-real on the supply-chain twin (bench/RESULTS.md, "Supply-chain twin:
// sim-to-real"): a hidden truth (configs/twins/data/retailer_truth.yaml)
// differs from the twin's guess (configs/twins/supply_chain_retailer.yaml) in
// demand level, dispersion, weekly profile and a lead-time range. PPO is
// trained, and echelon base-stock tuned, on
//   (a) the uncalibrated twin, (b) the twin calibrated from the truth's two
//   years of logs (configs/twins/data/retailer_logs), (c) the calibrated twin
//   randomized within its 95% intervals (demand mean and dispersion),
// and on the truth itself (the ceiling). Every policy is then evaluated on the
// truth on common random numbers (the same seeded episodes for all), and each
// is compared with the ceiling by the paired difference of profit per episode
// with its 95% confidence interval.
// Usage: twin_sim_to_real_bench [ppo_steps=400000] [seeds=2] [episodes=1000]
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "agents/evaluate.h"
#include "agents/train.h"
#include "core/evaluation_result.h"
#include "core/parameter_mapping.h"
#include "envs/builtin_envs.h"
#include "envs/supply_chain/stock_policies.h"
#include "envs/supply_chain/supply_chain_env.h"
#include "twins/twin_commands.h"

namespace {

namespace fs = std::filesystem;
using namespace twinrl;

std::string list(const std::vector<double>& values) {
  std::string text = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    char number[32];
    std::snprintf(number, sizeof number, "%s%.6g", i ? "," : "", values[i]);
    text += number;
  }
  return text + "]";
}

template <class T>
std::vector<double> doubles(const std::vector<T>& values) {
  return {values.begin(), values.end()};
}

// --set overrides that turn the twin's config into the truth's.
std::vector<std::string> truth_overrides(const SupplyChainParams& truth) {
  char text[64];
  std::vector<std::string> overrides;
  std::snprintf(text, sizeof text, "env.params.demand.mean=%.6g", truth.demand.mean);
  overrides.emplace_back(text);
  std::snprintf(text, sizeof text, "env.params.demand.dispersion=%.6g", truth.demand.dispersion);
  overrides.emplace_back(text);
  overrides.push_back("env.params.demand.profile=" + list(truth.demand.profile));
  overrides.push_back("env.params.stages.lead_time=" + list(doubles(truth.stages.lead_time)));
  overrides.push_back("env.params.stages.lead_time_max=" +
                      list(doubles(truth.stages.lead_time_max)));
  return overrides;
}

struct Contender {
  std::string label;
  std::string config;
  std::vector<std::string> overrides;
};

double mean_of(const std::vector<float>& values) {
  double sum = 0;
  for (float value : values) sum += value;
  return sum / static_cast<double>(values.size());
}

void print_row(const std::string& label, const std::vector<float>& profits,
               const std::vector<float>& ceiling) {
  const auto [difference, half_width] = paired_difference(profits, ceiling);
  const double ceiling_mean = mean_of(ceiling);
  std::printf("| %s | %.1f | %+.1f [%+.1f, %+.1f] | %.1f%% |\n", label.c_str(), mean_of(profits),
              difference, difference - half_width, difference + half_width,
              -100 * difference / ceiling_mean);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t steps = argc > 1 ? std::atoll(argv[1]) : 400000;
  const int seeds = argc > 2 ? std::atoi(argv[2]) : 2;
  const int episodes = argc > 3 ? std::atoi(argv[3]) : 1000;
  const std::string source = TWINRL_SOURCE_DIR;
  const std::string twin = source + "/configs/twins/supply_chain_retailer.yaml";
  const std::string truth_file = source + "/configs/twins/data/retailer_truth.yaml";
  const fs::path scratch = fs::temp_directory_path() / "twinrl_twin_sim_to_real_bench";
  fs::remove_all(scratch);
  fs::create_directories(scratch);
  const EnvRegistry registry = builtin_envs();

  // (b) and (c): the twin calibrated from the truth's shipped logs.
  const std::string calibrated = (scratch / "calibrated.yaml").string();
  twin_calibrate({.config = twin,
                  .logs = source + "/configs/twins/data/retailer_logs",
                  .out = calibrated,
                  .truth = truth_file,
                  .overrides = {}});
  // The truth: the twin's config with the truth's parameters.
  const Experiment guess = load_experiment(twin, {}, registry);
  const auto truth_model = guess.env_model->with_parameters(
      parse_parameter_values(load_config_file(truth_file), guess.env_model->parameters()));
  const std::vector<std::string> to_truth =
      truth_overrides(static_cast<const SupplyChainModel&>(*truth_model).params());

  // Without the facility's levels, so that base-stock is tuned on each twin.
  const std::string tune = "env.params.baselines.base_stock_levels=[]";
  const std::string fixed_randomization = "env.randomize={raw_material_cost: [2.0, 3.0]}";
  const std::vector<Contender> contenders = {
      {"(a) uncalibrated twin", twin, {tune}},
      {"(b) calibrated twin", calibrated, {tune, fixed_randomization}},
      {"(c) calibrated, randomized within its intervals", calibrated, {tune}},
      {"ceiling: the truth itself", twin, {}},
  };
  std::vector<std::string> truth_tuned = to_truth;
  truth_tuned.push_back(tune);
  const Experiment truth = load_experiment(twin, truth_tuned, registry);
  const uint64_t evaluation_seed = 0x7e57;

  std::printf(
      "Policies on the truth, %d episodes of %d periods on common random numbers; PPO "
      "%lld steps per run, %d seeds\n\n",
      episodes, truth.env_model->spec().max_episode_steps, static_cast<long long>(steps), seeds);
  // Base-stock: tuned on each twin, evaluated on the truth.
  std::vector<std::vector<float>> stock_profits;
  for (const Contender& contender : contenders) {
    std::vector<std::string> overrides = contender.overrides;
    if (contender.label.starts_with("ceiling")) overrides = truth_tuned;
    const Experiment on_twin = load_experiment(contender.config, overrides, registry);
    const auto policy = make_stock_policy(static_cast<const SupplyChainModel&>(*on_twin.env_model),
                                          "base_stock", 1);
    std::vector<std::string> with_levels = to_truth;
    with_levels.push_back("env.params.baselines.base_stock_levels=" + list(policy->order_up_to()));
    const Experiment evaluated = load_experiment(twin, with_levels, registry);
    stock_profits.push_back(
        evaluate(evaluated, {.name = "base_stock", .checkpoint = {}}, episodes, evaluation_seed)
            .returns);
    std::printf("base-stock tuned on %s: levels %s\n", contender.label.c_str(),
                list(policy->order_up_to()).c_str());
  }
  std::printf(
      "\n| base-stock tuned on | profit on the truth | paired difference to the "
      "ceiling [95%% CI] | loss |\n|---|---:|---:|---:|\n");
  for (size_t i = 0; i < contenders.size(); ++i)
    print_row(contenders[i].label, stock_profits[i], stock_profits.back());

  // PPO: trained on each twin, evaluated on the truth (best checkpoint).
  std::vector<std::vector<std::vector<float>>> ppo_profits(contenders.size());
  for (int seed = 1; seed <= seeds; ++seed) {
    for (size_t i = 0; i < contenders.size(); ++i) {
      std::vector<std::string> overrides =
          i + 1 == contenders.size() ? to_truth : contenders[i].overrides;
      overrides.push_back("agent.total_steps=" + std::to_string(steps));
      overrides.push_back("agent.checkpoint_every=" + std::to_string(steps));
      overrides.push_back("seed=" + std::to_string(seed));
      const Experiment experiment = load_experiment(contenders[i].config, overrides, registry);
      const fs::path run = scratch / ("ppo_" + std::to_string(i) + "_" + std::to_string(seed));
      const TrainSummary summary = train(experiment, {.run_dir = run, .progress = false});
      ppo_profits[i].push_back(
          evaluate(truth, {.name = "trained", .checkpoint = run / "checkpoints" / "best.pt"},
                   episodes, evaluation_seed)
              .returns);
      std::printf(
          "PPO seed %d on %s: %lld steps, recent return on its twin %.1f, on the truth "
          "%.1f\n",
          seed, contenders[i].label.c_str(), static_cast<long long>(summary.steps),
          summary.recent_return, mean_of(ppo_profits[i].back()));
      std::fflush(stdout);
    }
  }
  for (int seed = 0; seed < seeds; ++seed) {
    std::printf(
        "\n| PPO seed %d trained on | profit on the truth | paired difference to the "
        "ceiling [95%% CI] | loss |\n|---|---:|---:|---:|\n",
        seed + 1);
    for (size_t i = 0; i < contenders.size(); ++i)
      print_row(contenders[i].label, ppo_profits[i][seed], ppo_profits.back()[seed]);
  }
  fs::remove_all(scratch);
  return 0;
}

#include "envs/supply_chain/stock_policies.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>

#include <nlopt.hpp>

#include "envs/supply_chain/lost_sales.h"
#include "envs/supply_chain/supply_chain_env.h"

namespace twinrl {
namespace {

// Demand per period that the echelon of `item` serves, and the periods an order
// placed there needs to reach a customer: a starting guess for its levels.
double echelon_demand(const SupplyChainModel& model, int item) {
  double demand = 0;
  const auto& streams = model.demand_items();
  for (int stream = 0; stream < std::ssize(streams); ++stream) {
    const int retailer = model.stage_of(streams[stream]);
    const auto echelon = model.echelon(model.stage_of(item));
    if (model.sku_of(streams[stream]) == model.sku_of(item) &&
        std::ranges::find(echelon, retailer) != echelon.end())
      demand += model.mean_demand(stream);
  }
  return demand;
}

// Levels that cover the echelon's demand over its lead time and one period.
std::vector<double> guess_levels(const SupplyChainModel& model) {
  std::vector<double> levels;
  for (int item = 0; item < model.num_items(); ++item)
    levels.push_back(echelon_demand(model, item) *
                     (model.echelon_lead_time(model.stage_of(item)) + 1));
  return levels;
}

// Maximizes the mean episode profit over levels x in [0, upper]: Subplex on the
// continuous levels, then +-1 coordinate steps on the integers (the profit is
// flat between integer levels, where a continuous search can stall).
class LevelSearch {
 public:
  using Policy = std::function<EchelonStockPolicy(const std::vector<double>&)>;

  LevelSearch(const SupplyChainModel& model, Policy policy, uint64_t seed)
      : model_(model), policy_(std::move(policy)), seed_(seed) {}

  std::vector<double> run(std::vector<double> start, const std::vector<double>& upper) {
    const int budget = model_.params().baselines.tuning_evaluations;
    best_ = start;
    best_value_ = evaluate(start);
    nlopt::opt search(nlopt::LN_SBPLX, static_cast<unsigned>(start.size()));
    search.set_lower_bounds(std::vector<double>(start.size(), 0.0));
    search.set_upper_bounds(upper);
    search.set_max_objective(
        [](const std::vector<double>& x, std::vector<double>&, void* self) {
          return static_cast<LevelSearch*>(self)->evaluate(x);
        },
        this);
    std::vector<double> step;
    for (double level : start) step.push_back(std::max(2.0, 0.25 * level));
    search.set_initial_step(step);
    search.set_maxeval(budget / 2);
    search.set_xtol_abs(0.5);
    double value = 0;
    try {
      search.optimize(start, value);
    } catch (const std::exception&) {
      // Round-off and similar stops: the best point seen so far stands.
    }
    std::vector<double> levels = best_;
    for (double& level : levels) level = std::round(level);
    double levels_value = evaluate(levels);
    for (bool improved = true; improved && evaluations_ < budget;) {
      improved = false;
      for (size_t i = 0; i < levels.size(); ++i) {
        for (double move : {1.0, -1.0}) {
          std::vector<double> candidate = levels;
          candidate[i] = std::clamp(candidate[i] + move, 0.0, upper[i]);
          const double candidate_value = evaluate(candidate);
          if (candidate_value > levels_value + 1e-9) {
            levels = candidate;
            levels_value = candidate_value;
            improved = true;
          }
        }
      }
    }
    return levels;
  }

  // `found` or `fallback`, whichever earns more on the tuning episodes
  // (`found` on a tie).
  std::vector<double> better_of(std::vector<double> found, std::vector<double> fallback) {
    return evaluate(fallback) > evaluate(found) ? fallback : found;
  }

 private:
  double evaluate(const std::vector<double>& levels) {
    ++evaluations_;
    const double value = mean_episode_profit(model_, policy_(levels),
                                             model_.params().baselines.tuning_episodes, seed_);
    if (value > best_value_) {
      best_value_ = value;
      best_ = levels;
    }
    return value;
  }

  const SupplyChainModel& model_;
  Policy policy_;
  uint64_t seed_;
  int evaluations_ = 0;
  std::vector<double> best_;
  double best_value_ = -1e300;
};

}  // namespace

EchelonStockPolicy::EchelonStockPolicy(const SupplyChainModel& model,
                                       std::vector<double> reorder_points,
                                       std::vector<double> order_up_to,
                                       std::vector<double> order_caps,
                                       std::vector<double> final_periods)
    : model_(model),
      reorder_points_(std::move(reorder_points)),
      order_up_to_(std::move(order_up_to)),
      order_caps_(std::move(order_caps)),
      final_periods_(std::move(final_periods)) {}

void EchelonStockPolicy::act(const Env& env, const ActionOutput& out) const {
  const auto& chain = static_cast<const SupplyChainEnv&>(env);
  const int periods_left = model_.params().periods - chain.period();
  for (int item = 0; item < model_.num_items(); ++item) {
    if (!final_periods_.empty() && periods_left <= std::lround(final_periods_[item])) {
      chain.write_order(out, item, 0);
      continue;
    }
    const auto position = static_cast<double>(chain.echelon_position(item));
    int64_t quantity =
        position <= reorder_points_[item] ? std::lround(order_up_to_[item] - position) : 0;
    if (!order_caps_.empty()) {
      const int stage = model_.stage_of(item);
      quantity = std::min<int64_t>(quantity, std::lround(order_caps_[item]));
      const int supplier = model_.supplier(stage);
      if (supplier >= 0)
        quantity =
            std::min(quantity, chain.on_hand(supplier * model_.num_skus() + model_.sku_of(item)));
    }
    chain.write_order(out, item, std::max<int64_t>(quantity, 0));
  }
}

double mean_episode_profit(const SupplyChainModel& model, const BaselinePolicy& policy,
                           int episodes, uint64_t seed) {
  const auto env = model.make_env();
  const EnvSpec& spec = model.spec();
  std::vector<float> observation(spec.observation_space.size());
  float reward = 0;
  std::vector<float> continuous(spec.action_space.size());
  std::vector<int64_t> discrete(spec.action_space.size());
  const bool is_discrete = spec.action_space.is_discrete();
  const ActionOutput action_out{is_discrete ? nullptr : continuous.data(),
                                is_discrete ? discrete.data() : nullptr};
  const ActionRef action{is_discrete ? nullptr : continuous.data(),
                         is_discrete ? discrete.data() : nullptr};
  const EnvOutput env_out{observation.data(), &reward, nullptr};
  double total = 0;
  for (int episode = 0; episode < episodes; ++episode) {
    env->seed(stream_seed(seed, static_cast<uint64_t>(episode)));
    env->reset(env_out);
    for (int period = 0; period < model.params().periods; ++period) {
      policy.act(*env, action_out);
      env->step(action, env_out);
    }
    total += static_cast<const SupplyChainEnv&>(*env).episode_profit();
  }
  return total / episodes;
}

std::unique_ptr<EchelonStockPolicy> make_stock_policy(const SupplyChainModel& model,
                                                      const std::string& name, uint64_t seed) {
  const BaselineParams& fixed = model.params().baselines;
  const std::vector<double> guess = guess_levels(model);
  const auto items = static_cast<size_t>(model.num_items());
  std::vector<double> upper;
  for (size_t item = 0; item < items; ++item)
    upper.push_back(3 * guess[item] +
                    model.params().stages.capacity[model.stage_of(static_cast<int>(item))]);

  std::vector<double> capacities;
  for (size_t item = 0; item < items; ++item)
    capacities.push_back(model.params().stages.capacity[model.stage_of(static_cast<int>(item))]);
  if (name == "base_stock") {
    std::vector<double> levels = fixed.base_stock_levels;
    if (levels.empty()) {
      LevelSearch search(
          model, [&](const std::vector<double>& x) { return EchelonStockPolicy(model, x, x); },
          seed);
      levels = search.run(guess, upper);
    }
    return std::make_unique<EchelonStockPolicy>(model, levels, levels);
  }
  if (name == "capped_base_stock") {
    std::vector<double> levels = fixed.base_stock_levels, caps = fixed.order_caps;
    if (!levels.empty())
      return std::make_unique<EchelonStockPolicy>(model, levels, levels,
                                                  caps.empty() ? capacities : caps);
    // Searched as (S, r), or S alone where the caps are given, from the
    // uncapped optimum with caps at twice the echelon's demand per period
    // (the profit is flat in caps above the largest order, where a search
    // from the capacity would not move); kept only if it beats the uncapped
    // optimum with caps at capacity.
    const bool tune_caps = caps.empty();
    const auto policy = [&](const std::vector<double>& x) {
      const std::vector<double> s(x.begin(), x.begin() + items);
      return EchelonStockPolicy(model, s, s,
                                tune_caps ? std::vector<double>(x.begin() + items, x.end()) : caps);
    };
    LevelSearch search(model, policy, seed);
    std::vector<double> start = make_stock_policy(model, "base_stock", seed)->order_up_to(),
                        bounds = upper;
    std::vector<double> at_capacity = start;
    if (tune_caps) {
      for (size_t item = 0; item < items; ++item)
        start.push_back(std::min(capacities[item],
                                 std::round(2 * echelon_demand(model, static_cast<int>(item)))));
      bounds.insert(bounds.end(), capacities.begin(), capacities.end());
      at_capacity.insert(at_capacity.end(), capacities.begin(), capacities.end());
    }
    const std::vector<double> found = search.better_of(search.run(start, bounds), at_capacity);
    levels.assign(found.begin(), found.begin() + items);
    if (tune_caps) caps.assign(found.begin() + items, found.end());
    return std::make_unique<EchelonStockPolicy>(model, levels, levels, caps);
  }
  if (name == kHorizonCappedBaseStock) {
    // Searched as (S, r, final periods) from the capped policy's (S, r) and
    // final periods at the echelon lead times (an order placed later cannot
    // reach a customer in time); kept only if it beats the capped policy.
    const auto capped = make_stock_policy(model, "capped_base_stock", seed);
    const auto part = [items](const std::vector<double>& x, size_t k) {
      return std::vector<double>(x.begin() + k * items, x.begin() + (k + 1) * items);
    };
    const auto policy = [&](const std::vector<double>& x) {
      return EchelonStockPolicy(model, part(x, 0), part(x, 0), part(x, 1), part(x, 2));
    };
    std::vector<double> start = capped->order_up_to(), bounds = upper;
    start.insert(start.end(), capped->order_caps().begin(), capped->order_caps().end());
    bounds.insert(bounds.end(), capacities.begin(), capacities.end());
    std::vector<double> never = start;
    for (size_t item = 0; item < items; ++item) {
      start.push_back(std::round(model.echelon_lead_time(model.stage_of(static_cast<int>(item)))));
      never.push_back(0);
      bounds.push_back(model.params().periods);
    }
    LevelSearch search(model, policy, seed);
    const std::vector<double> found = search.better_of(search.run(start, bounds), never);
    return std::make_unique<EchelonStockPolicy>(model, part(found, 0), part(found, 0),
                                                part(found, 1), part(found, 2));
  }
  if (name == "s_S") {
    std::vector<double> reorder = fixed.reorder_points, up_to = fixed.order_up_to;
    if (reorder.empty()) {
      // Searched as (s, S - s) so that every point of the box is a valid policy.
      const auto split = [items](const std::vector<double>& x) {
        std::vector<double> s(x.begin(), x.begin() + items), big_s = s;
        for (size_t i = 0; i < items; ++i) big_s[i] += x[items + i];
        return std::pair{s, big_s};
      };
      LevelSearch search(
          model,
          [&](const std::vector<double>& x) {
            auto [s, big_s] = split(x);
            return EchelonStockPolicy(model, s, big_s);
          },
          seed);
      // From the base-stock optimum (s = S), so that (s, S) does at least as well.
      std::vector<double> start = make_stock_policy(model, "base_stock", seed)->order_up_to(),
                          bounds = upper;
      start.resize(2 * items, 0.0);
      bounds.insert(bounds.end(), upper.begin(), upper.end());
      std::tie(reorder, up_to) = split(search.run(start, bounds));
    }
    return std::make_unique<EchelonStockPolicy>(model, reorder, up_to);
  }
  throw std::invalid_argument(
      "env SupplyChain has no baseline policy '" + name +
      "' (base_stock, capped_base_stock, horizon_capped_base_stock, s_S; myopic and optimal for "
      "one stage with lost sales)");
}

std::vector<std::string> SupplyChainModel::baseline_names() const {
  std::vector<std::string> names = {"base_stock", "capped_base_stock", kHorizonCappedBaseStock,
                                    "s_S"};
  try {
    const LostSalesInstance instance(*this);
    names.push_back("myopic");
    if (LostSalesOptimum::fits(instance)) names.push_back("optimal");
  } catch (const std::invalid_argument&) {
    // Not a single-stage lost-sales config: the stock policies only.
  }
  return names;
}

std::unique_ptr<BaselinePolicy> SupplyChainModel::make_baseline(const std::string& name,
                                                                uint64_t seed) const {
  if (name == "myopic" || name == "optimal") return make_lost_sales_policy(*this, name);
  return make_stock_policy(*this, name, seed);
}

}  // namespace twinrl

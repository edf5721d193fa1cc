#include "envs/supply_chain/lost_sales.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>

#include "envs/supply_chain/supply_chain_env.h"

namespace twinrl {
namespace {

// Dense states the exact optimum may hold (two doubles and an order each: 200 MB).
constexpr int64_t kMaxStates = 10'000'000;
// Values the demand over lead time + 1 periods may take: beyond, the demand is
// too wide for the exact methods (the convolutions would take minutes).
constexpr int64_t kMaxProtectionValues = 20'000;

// (max_position + 1)^lead_time, saturated above kMaxStates.
int64_t dense_states(const LostSalesInstance& instance) {
  int64_t states = 1;
  for (int k = 0; k < instance.lead_time && states <= kMaxStates; ++k)
    states *= instance.max_position + 1;
  return states;
}

std::invalid_argument not_lost_sales(const std::string& why) {
  return std::invalid_argument(
      "the lost-sales baselines (optimal, myopic) need one stage with one SKU, lost sales, a "
      "fixed lead time of at least one period, no transit holding cost and stationary "
      "parametric demand: " +
      why);
}

std::invalid_argument too_wide() {
  return not_lost_sales("the demand over the lead time is too wide for an exact method");
}

// P(D = d) for d up to where the tail is below 1e-12, the tail folded into the
// last; demands of more than `most` values are too wide.
std::vector<double> demand_pmf(const DemandParams& demand, double weight, int64_t most) {
  if (demand.model == "uniform") {
    const int64_t low = std::lround(demand.low * weight), high = std::lround(demand.high * weight);
    if (high >= most) throw too_wide();
    std::vector<double> pmf(static_cast<size_t>(high + 1), 0.0);
    for (int64_t d = low; d <= high; ++d) pmf[d] = 1.0 / static_cast<double>(high - low + 1);
    return pmf;
  }
  const double mean = demand.mean * weight;
  if (mean == 0) return {1.0};
  const double r = demand.dispersion;
  std::vector<double> pmf;
  double cumulative = 0;
  for (int64_t d = 0; cumulative < 1 - 1e-12 || static_cast<double>(d) <= mean; ++d) {
    if (d >= most) throw too_wide();
    const auto k = static_cast<double>(d);
    const double log_p = demand.model == "poisson"
                             ? k * std::log(mean) - mean - std::lgamma(k + 1)
                             : std::lgamma(k + r) - std::lgamma(r) - std::lgamma(k + 1) +
                                   r * std::log(r / (r + mean)) + k * std::log(mean / (r + mean));
    pmf.push_back(std::exp(log_p));
    cumulative += pmf.back();
  }
  pmf.back() += std::max(0.0, 1 - cumulative);
  return pmf;
}

// The distribution of the sum of `periods` independent demands.
std::vector<double> demand_over(const std::vector<double>& pmf, int periods) {
  std::vector<double> total = {1.0};
  for (int period = 0; period < periods; ++period) {
    std::vector<double> next(total.size() + pmf.size() - 1, 0.0);
    for (size_t a = 0; a < total.size(); ++a)
      for (size_t b = 0; b < pmf.size(); ++b) next[a + b] += total[a] * pmf[b];
    total = std::move(next);
  }
  return total;
}

}  // namespace

LostSalesInstance::LostSalesInstance(const SupplyChainModel& model) {
  const SupplyChainParams& params = model.params();
  const StageParams& stages = params.stages;
  const DemandParams& demand = params.demand;
  if (model.num_stages() != 1 || model.num_skus() != 1)
    throw not_lost_sales("this config has " + std::to_string(model.num_stages()) +
                         " stage(s) and " + std::to_string(model.num_skus()) + " SKU(s)");
  if (params.backlog) throw not_lost_sales("this config backlogs (backlog: true)");
  if (!stages.lead_time_max.empty()) throw not_lost_sales("this config draws lead times");
  if (stages.lead_time[0] < 1) throw not_lost_sales("this config's lead time is 0");
  for (double cost : stages.transit_holding_cost)
    if (cost != 0) throw not_lost_sales("this config has a transit holding cost");
  if (demand.model == "history") throw not_lost_sales("this config replays a demand history");
  if (demand.seasonal_amplitude != 0 || !demand.profile.empty())
    throw not_lost_sales("this config's demand is seasonal or has a profile");

  lead_time = stages.lead_time[0];
  demand_pmf = twinrl::demand_pmf(demand, params.sku_demand_weights[0],
                                  kMaxProtectionValues / (lead_time + 1));
  holding_cost = stages.holding_cost[0];
  penalty = stages.penalty[0];
  price = params.price;
  order_cost = params.raw_material_cost;
  discount = params.discount;
  const double newsvendor_tail =
      holding_cost > 0 ? holding_cost / (holding_cost + penalty + price) : 1.0;
  const std::vector<double> protection = demand_over(demand_pmf, lead_time + 1);
  double cumulative = 0;
  max_position = 0;
  while (max_position + 1 < std::ssize(protection) &&
         cumulative + protection[max_position] < 1 - 0.01 * newsvendor_tail)
    cumulative += protection[max_position++];

  // The orders the actions can express, up to max_position (a larger one
  // would raise the position above it).
  const int capacity = stages.capacity[0];
  if (params.discrete_levels == 0 || model.orders_up_to()) {
    // (Ordering up to a level, any order is a level away, rounded to the
    // nearest one the actions can express.)
    for (int q = 0; q <= std::min(capacity, max_position); ++q) orders.push_back(q);
  } else {
    for (int level = 0; level < params.discrete_levels; ++level) {
      const auto q = static_cast<int>(
          std::lround(static_cast<double>(level) * capacity / (params.discrete_levels - 1)));
      if (q <= max_position && (orders.empty() || q > orders.back())) orders.push_back(q);
    }
  }

  // Expected period costs from the prefix sums of P(D = d) and d P(D = d).
  const int64_t values = std::ssize(demand_pmf);
  double mean = 0;
  for (int64_t d = 0; d < values; ++d) mean += static_cast<double>(d) * demand_pmf[d];
  double below = 0, below_mean = 0, at_least = 1;  // P(D < y), E[D; D < y], P(D >= y)
  for (int y = 0; y <= max_position + orders.back(); ++y) {
    if (y > 0 && y - 1 < values) {
      below += demand_pmf[y - 1];
      below_mean += static_cast<double>(y - 1) * demand_pmf[y - 1];
      at_least -= demand_pmf[y - 1];
    }
    demand_at_least_.push_back(at_least);
    const double left = y * below - below_mean;  // E(y - D)^+
    const double lost = mean - y + left;         // E(D - y)^+
    period_costs_.push_back(holding_cost * left + penalty * lost - price * (mean - lost));
  }
}

bool LostSalesOptimum::fits(const LostSalesInstance& instance) {
  return dense_states(instance) <= kMaxStates;
}

LostSalesOptimum::LostSalesOptimum(const LostSalesInstance& instance) : instance_(instance) {
  const int lead_time = instance.lead_time, top = instance.max_position;
  const int64_t digits = top + 1;
  if (!fits(instance))
    throw std::invalid_argument("the exact optimum needs more than " + std::to_string(kMaxStates) +
                                " states here (lead time " + std::to_string(lead_time) +
                                ", positions up to " + std::to_string(top) +
                                "): use the myopic or capped base-stock baseline");
  states_ = dense_states(instance);
  for (int k = 1; k < lead_time; ++k) stride_ *= digits;

  std::vector<double> value(states_, 0.0), next_value(states_, 0.0), expected(top + 1);
  policy_.assign(states_, 0);
  std::vector<int> state(lead_time, 0);         // on hand, then on order 1 .. lead_time - 1 ahead
  const int64_t last_digit = stride_ / digits;  // stride of the digit shifted out (lead_time >= 2)
  for (iterations_ = 1; iterations_ <= 100'000; ++iterations_) {
    double lowest = std::numeric_limits<double>::infinity(), highest = -lowest;
    std::ranges::fill(state, 0);
    for (int64_t index = 0; index < states_; ++index) {
      if (index > 0) {  // the next state in index order, as an odometer
        for (int k = lead_time - 1; k >= 0 && ++state[k] > top; --k) state[k] = 0;
      }
      int position = 0;
      for (int units : state) position += units;
      if (position > top) continue;
      const int on_hand = state[0];
      const int arriving_next = lead_time >= 2 ? state[1] : 0;
      // Next state: on hand (j left + arriving_next), the later orders moved
      // one period closer, and the new order last.
      const int64_t shifted = lead_time >= 2 ? (index % last_digit) * digits : 0;
      const int room = top - position;
      std::fill_n(expected.begin(), room + 1, 0.0);
      for (int j = 0; j <= on_hand; ++j) {
        const double w = instance.left_after_demand(on_hand, j);
        if (w == 0) continue;
        const double* row = &value[(arriving_next + j) * stride_ + shifted];
        for (int q = 0; q <= room; ++q) expected[q] += w * row[q];
      }
      double best = std::numeric_limits<double>::infinity();
      int best_order = 0;
      for (int q : instance.orders) {
        if (q > room) break;
        const double total = instance.order_cost * q + instance.discount * expected[q];
        if (total < best) {
          best = total;
          best_order = q;
        }
      }
      next_value[index] = instance.period_cost(on_hand) + best;
      policy_[index] = best_order;
      const double change = next_value[index] - value[index];
      lowest = std::min(lowest, change);
      highest = std::max(highest, change);
    }
    const double reference = next_value[0];
    for (int64_t index = 0; index < states_; ++index) value[index] = next_value[index] - reference;
    cost_lower_ = lowest;
    cost_upper_ = highest;
    if (highest - lowest <= 1e-7 * std::max(1.0, std::abs(highest))) break;
  }
}

int LostSalesOptimum::order(int on_hand, const std::vector<int64_t>& on_order) const {
  int64_t position = on_hand;
  for (int64_t units : on_order) position += units;
  if (on_hand < 0 || position > instance_.max_position) return 0;
  int64_t index = on_hand;
  for (int64_t units : on_order) index = index * (instance_.max_position + 1) + units;
  return policy_[index];
}

int myopic_order(const LostSalesInstance& instance, int on_hand,
                 const std::vector<int64_t>& on_order) {
  // The distribution of the stock on hand when the order arrives, before it does.
  std::vector<double> stock(static_cast<size_t>(std::max(on_hand, 0)) + 1, 0.0);
  stock.back() = 1;
  for (int period = 0; period < instance.lead_time; ++period) {
    std::vector<double> left(stock.size(), 0.0);
    for (int x = 0; x < std::ssize(stock); ++x)
      if (stock[x] > 0)
        for (int j = 0; j <= x; ++j) left[j] += stock[x] * instance.left_after_demand(x, j);
    if (period + 1 < instance.lead_time)
      left.insert(left.begin(), static_cast<size_t>(on_order[period]), 0.0);
    stock = std::move(left);
  }
  double best = std::numeric_limits<double>::infinity();
  int best_order = 0;
  // The expected cost is convex in the order: the first rise ends the search.
  for (int q : instance.orders) {
    double total = instance.order_cost * q;
    for (size_t x = 0; x < stock.size(); ++x)
      if (stock[x] > 0) total += stock[x] * instance.period_cost(static_cast<int>(x) + q);
    if (total > best + 1e-12) break;
    if (total < best - 1e-12) {
      best = total;
      best_order = q;
    }
  }
  return best_order;
}

namespace {

class LostSalesPolicy : public BaselinePolicy {
 public:
  LostSalesPolicy(const SupplyChainModel& model, bool optimal) : instance_(model) {
    if (optimal) optimum_.emplace(instance_);
  }

  void act(const Env& env, const ActionOutput& out) const override {
    const auto& chain = static_cast<const SupplyChainEnv&>(env);
    const int64_t on_hand = chain.on_hand(0) + chain.arriving(0, 0);
    int64_t position = on_hand;
    std::vector<int64_t> on_order;
    for (int ahead = 1; ahead < instance_.lead_time; ++ahead) {
      on_order.push_back(chain.arriving(0, ahead));
      position += on_order.back();
    }
    // Above max_position (a start with much stock), neither policy orders.
    int quantity = 0;
    if (position <= instance_.max_position) {
      const auto units = static_cast<int>(on_hand);
      quantity =
          optimum_ ? optimum_->order(units, on_order) : myopic_order(instance_, units, on_order);
    }
    chain.write_order(out, 0, quantity);
  }

 private:
  LostSalesInstance instance_;
  std::optional<LostSalesOptimum> optimum_;
};

}  // namespace

std::unique_ptr<BaselinePolicy> make_lost_sales_policy(const SupplyChainModel& model,
                                                       const std::string& name) {
  return std::make_unique<LostSalesPolicy>(model, name == "optimal");
}

}  // namespace twinrl

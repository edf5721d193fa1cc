#include "envs/supply_chain/supply_chain_env.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <type_traits>

#include "core/samplers.h"

namespace twinrl {
namespace {

// Values per item in the observation besides the pipeline: on hand, owed
// downstream, owed by the supplier, echelon position.
constexpr int kItemFeatures = 4;

int max_lead_time(const StageParams& stages) {
  const auto& leads = stages.lead_time_max.empty() ? stages.lead_time : stages.lead_time_max;
  return *std::ranges::max_element(leads);
}

int observed_pipeline(const SupplyChainParams& params) {
  return params.observed_pipeline > 0 ? params.observed_pipeline : max_lead_time(params.stages);
}

EnvSpec supply_chain_spec(const SupplyChainParams& params) {
  const int items = static_cast<int>(params.stages.names.size() * params.sku_demand_weights.size());
  EnvSpec spec;
  spec.id = "SupplyChain";
  const int64_t per_item = kItemFeatures + observed_pipeline(params);
  const float inf = std::numeric_limits<float>::infinity();
  spec.observation_space =
      Space::box(items * per_item + (params.observe_periods_left ? 1 : 0), -inf, inf);
  spec.action_space =
      params.discrete_levels == 0
          ? Space::box(items, -1.0f, 1.0f)
          : Space::multi_discrete(std::vector<int64_t>(items, params.discrete_levels));
  spec.control_period_s = 86400;  // a period is taken to be a day
  spec.max_episode_steps = params.periods;
  spec.kpi_names = {"profit", "fill_rate", "stockouts", "mean_inventory", "bullwhip_ratio"};
  return spec;
}

// Builds compressed rows: for each stage, the stages `member(stage, other)` selects.
template <class Member>
void build_rows(int stages, Member member, std::vector<int>& offsets, std::vector<int>& rows) {
  offsets.assign(1, 0);
  for (int stage = 0; stage < stages; ++stage) {
    for (int other = 0; other < stages; ++other)
      if (member(stage, other)) rows.push_back(other);
    offsets.push_back(static_cast<int>(rows.size()));
  }
}

double variance(double sum, double square_sum, int count) {
  if (count < 2) return 0;
  const double mean = sum / count;
  return std::max(0.0, (square_sum - count * mean * mean) / (count - 1));
}

}  // namespace

SupplyChainModel::SupplyChainModel(const SupplyChainParams& params)
    : EnvModel(supply_chain_spec(params)),
      params_(params),
      num_stages_(static_cast<int>(params.stages.names.size())),
      num_skus_(static_cast<int>(params.sku_demand_weights.size())),
      max_lead_time_(twinrl::max_lead_time(params.stages)),
      observed_pipeline_(twinrl::observed_pipeline(params)),
      suppliers_(supplier_indices(params.stages)) {
  // `stage` is in `echelon`'s echelon if following suppliers from it reaches `echelon`.
  build_rows(
      num_stages_,
      [&](int echelon, int stage) {
        for (; stage >= 0; stage = suppliers_[stage])
          if (stage == echelon) return true;
        return false;
      },
      echelon_offsets_, echelon_stages_);
  build_rows(
      num_stages_, [&](int stage, int other) { return suppliers_[other] == stage; },
      customer_offsets_, customer_stages_);
  for (int stage : retailer_stages(params.stages))
    for (int sku = 0; sku < num_skus_; ++sku) demand_items_.push_back(stage * num_skus_ + sku);
  orders_up_to_ = params.action_mode == "order_up_to";
  for (int item = 0; item < num_items(); ++item) {
    const double capacity = params.stages.capacity[stage_of(item)];
    action_ranges_.push_back(orders_up_to_ ? capacity * (echelon_lead_time(stage_of(item)) + 1)
                                           : capacity);
  }
}

std::unique_ptr<Env> SupplyChainModel::create_env() const {
  return std::make_unique<SupplyChainEnv>(*this);
}

std::span<const int> SupplyChainModel::echelon(int stage) const {
  return {echelon_stages_.data() + echelon_offsets_[stage],
          echelon_stages_.data() + echelon_offsets_[stage + 1]};
}

std::span<const int> SupplyChainModel::customers(int stage) const {
  return {customer_stages_.data() + customer_offsets_[stage],
          customer_stages_.data() + customer_offsets_[stage + 1]};
}

double SupplyChainModel::mean_demand(int stream) const {
  const DemandParams& demand = params_.demand;
  const double weight = params_.sku_demand_weights[sku_of(demand_items_[stream])];
  if (demand.model != "history") {
    double profile = 1;
    if (!demand.profile.empty())
      profile = std::accumulate(demand.profile.begin(), demand.profile.end(), 0.0) /
                static_cast<double>(demand.profile.size());
    const double level = demand.model == "uniform" ? 0.5 * (demand.low + demand.high) : demand.mean;
    return weight * profile * level;
  }
  const auto& columns = demand.history->columns;
  const auto& column = columns[columns.size() == 1 ? 0 : stream];
  double sum = 0;
  for (int64_t units : column) sum += static_cast<double>(units);
  return sum / static_cast<double>(column.size());
}

double SupplyChainModel::mean_lead_time(int stage) const {
  const StageParams& stages = params_.stages;
  const int low = stages.lead_time[stage];
  return stages.lead_time_max.empty() ? low : 0.5 * (low + stages.lead_time_max[stage]);
}

double SupplyChainModel::echelon_lead_time(int stage) const {
  double longest = 0;
  for (int customer : customers(stage)) longest = std::max(longest, echelon_lead_time(customer));
  return mean_lead_time(stage) + longest;
}

double SupplyChainModel::action_fraction(const ActionRef& action, int item) const {
  if (params_.discrete_levels == 0)
    return 0.5 * (std::clamp(action.continuous[item], -1.0f, 1.0f) + 1.0);
  return static_cast<double>(action.discrete[item]) / (params_.discrete_levels - 1);
}

void SupplyChainModel::write_action_fraction(const ActionOutput& out, int item,
                                             double fraction) const {
  fraction = std::clamp(fraction, 0.0, 1.0);
  if (params_.discrete_levels == 0)
    out.continuous[item] = static_cast<float>(2 * fraction - 1);
  else
    out.discrete[item] = std::lround(fraction * (params_.discrete_levels - 1));
}

int64_t SupplyChainModel::order_quantity(const ActionRef& action, int item) const {
  return std::lround(action_fraction(action, item) * action_range(item));
}

void SupplyChainModel::write_order(const ActionOutput& out, int item, int64_t quantity) const {
  write_action_fraction(out, item, static_cast<double>(quantity) / action_range(item));
}

SupplyChainEnv::SupplyChainEnv(const SupplyChainModel& model)
    : EnvWithParams(model.params()),
      model_(model),
      pipeline_slots_(model.max_lead_time() + 1),
      on_hand_(model.num_items()),
      in_transit_(model.num_items()),
      order_backlog_(model.num_items()),
      customer_backlog_(model.num_items()),
      pipeline_(static_cast<size_t>(model.num_items()) * pipeline_slots_),
      last_ordered_(model.num_items()),
      last_shipped_(model.num_items()),
      last_demand_(model.num_items()),
      last_sold_(model.num_items()),
      last_lead_time_(model.num_stages()),
      requested_(model.num_items()),
      shipped_(model.num_items()),
      owed_downstream_(model.num_items()) {}

void SupplyChainEnv::reset_episode(const EnvOutput& out) {
  const DemandParams& demand = params_.demand;
  history_start_ = 0;
  if (demand.model == "history" && demand.history_random_start)
    history_start_ =
        static_cast<int>(uniform_integer(rng_, 0, demand.history->periods() - params_.periods));
  for (int item = 0; item < model_.num_items(); ++item) {
    on_hand_[item] = std::lround(params_.stages.initial_inventory[model_.stage_of(item)] *
                                 params_.sku_demand_weights[model_.sku_of(item)]);
  }
  std::ranges::fill(in_transit_, 0);
  std::ranges::fill(order_backlog_, 0);
  std::ranges::fill(customer_backlog_, 0);
  std::ranges::fill(pipeline_, 0);
  period_ = 0;
  profit_ = demand_units_ = filled_on_time_ = inventory_sum_ = stockouts_ = 0;
  demand_sum_ = demand_square_sum_ = order_sum_ = order_square_sum_ = 0;
  clear_last_period();
  observe(out.observation);
}

void SupplyChainEnv::clear_last_period() {
  for (auto* values : {&last_ordered_, &last_shipped_, &last_demand_, &last_sold_})
    std::ranges::fill(*values, 0);
  std::ranges::fill(last_lead_time_, 0);
}

int64_t SupplyChainEnv::draw_demand(int stream) {
  const DemandParams& demand = params_.demand;
  if (demand.model == "history") {
    const auto& columns = demand.history->columns;
    return columns[columns.size() == 1 ? 0 : stream][history_start_ + period_];
  }
  const double season = 1 + demand.seasonal_amplitude *
                                std::sin(2 * std::numbers::pi * period_ / demand.seasonal_period);
  const double profile =
      demand.profile.empty() ? 1.0 : demand.profile[period_ % demand.profile.size()];
  const double scale =
      season * profile * params_.sku_demand_weights[model_.sku_of(model_.demand_items()[stream])];
  if (demand.model == "poisson") return poisson_variate(rng_, demand.mean * scale);
  if (demand.model == "negative_binomial")
    return negative_binomial_variate(rng_, demand.mean * scale, demand.dispersion);
  return uniform_integer(rng_, std::lround(demand.low * scale), std::lround(demand.high * scale));
}

template <class ItemOf>
void SupplyChainEnv::ration(int count, ItemOf item_of, int64_t available) {
  int64_t requested = 0;
  for (int k = 0; k < count; ++k) requested += shipped_[item_of(k)];
  if (requested <= available) return;
  // Rounding the cumulative shares hands out exactly `available`, none above its request.
  int64_t cumulative = 0, given = 0;
  for (int k = 0; k < count; ++k) {
    int64_t& amount = shipped_[item_of(k)];
    cumulative += amount;
    const int64_t target = cumulative * available / requested;
    amount = target - given;
    given = target;
  }
}

StepStatus SupplyChainEnv::step(const ActionRef& action, const EnvOutput& out) {
  const SupplyChainModel& m = model_;
  const StageParams& stages = params_.stages;
  const int skus = m.num_skus();
  double profit = 0;
  double raw_orders = 0;

  // 1. Orders (plus what the supplier still owes, when backlogged) go out,
  // capped by the capacity, shared by the SKUs, and by the supplier's stock.
  for (int item = 0; item < m.num_items(); ++item) {
    const int64_t quantity = order_quantity(action, item);
    if (m.supplier(m.stage_of(item)) < 0) raw_orders += static_cast<double>(quantity);
    requested_[item] = quantity + (params_.backlog ? order_backlog_[item] : 0);
    last_ordered_[item] = quantity;
    shipped_[item] = requested_[item];
  }
  for (int stage = 0; stage < m.num_stages(); ++stage)
    ration(
        skus, [&](int k) { return stage * skus + k; }, stages.capacity[stage]);
  for (int stage = 0; stage < m.num_stages(); ++stage) {
    const std::span<const int> customers = m.customers(stage);
    for (int sku = 0; sku < skus; ++sku)
      ration(
          static_cast<int>(customers.size()), [&](int k) { return customers[k] * skus + sku; },
          on_hand_[stage * skus + sku]);
  }
  for (int stage = 0; stage < m.num_stages(); ++stage) {
    // Drawn for every stage and period, shipment or not, so that the random
    // numbers of an episode do not depend on the policy.
    const int lead_time = stages.lead_time_max.empty()
                              ? stages.lead_time[stage]
                              : static_cast<int>(uniform_integer(rng_, stages.lead_time[stage],
                                                                 stages.lead_time_max[stage]));
    last_lead_time_[stage] = lead_time;
    const int supplier = m.supplier(stage);
    const double penalty = supplier < 0 ? params_.raw_material_penalty : stages.penalty[supplier];
    for (int sku = 0; sku < skus; ++sku) {
      const int item = stage * skus + sku;
      const int64_t shipped = shipped_[item];
      const int64_t shortfall = requested_[item] - shipped;
      profit -= penalty * static_cast<double>(shortfall);
      order_backlog_[item] = params_.backlog ? shortfall : 0;
      last_shipped_[item] = shipped;
      if (supplier < 0)
        profit -= params_.raw_material_cost * static_cast<double>(shipped);
      else
        on_hand_[supplier * skus + sku] -= shipped;
      pipeline(item, period_ + lead_time) += shipped;
      in_transit_[item] += shipped;
    }
  }

  // 2. Shipments due this period arrive.
  for (int item = 0; item < m.num_items(); ++item) {
    int64_t& arriving = pipeline(item, period_);
    on_hand_[item] += arriving;
    in_transit_[item] -= arriving;
    arriving = 0;
  }

  // 3. Customer demand, backlog first; the rest is backlogged or lost.
  double period_demand = 0;
  const auto& demand_items = m.demand_items();
  for (int stream = 0; stream < std::ssize(demand_items); ++stream) {
    const int item = demand_items[stream];
    const int64_t demand = draw_demand(stream);
    const int64_t waiting = customer_backlog_[item];
    const int64_t sold = std::min(on_hand_[item], demand + waiting);
    const int64_t unmet = demand + waiting - sold;
    on_hand_[item] -= sold;
    customer_backlog_[item] = params_.backlog ? unmet : 0;
    last_demand_[item] = demand;
    last_sold_[item] = sold;
    profit += params_.price * static_cast<double>(sold) -
              stages.penalty[m.stage_of(item)] * static_cast<double>(unmet);
    period_demand += static_cast<double>(demand);
    filled_on_time_ += static_cast<double>(std::max<int64_t>(0, sold - waiting));
    stockouts_ += unmet > 0 ? 1 : 0;
  }

  // 4. Holding costs on the stock left.
  double inventory = 0;
  for (int item = 0; item < m.num_items(); ++item) {
    const int stage = m.stage_of(item);
    profit -= stages.holding_cost[stage] * static_cast<double>(on_hand_[item]);
    if (!stages.transit_holding_cost.empty())
      profit -= stages.transit_holding_cost[stage] * static_cast<double>(in_transit_[item]);
    inventory += static_cast<double>(on_hand_[item]);
  }

  const double reward = std::pow(params_.discount, period_) * profit;
  profit_ += reward;
  demand_units_ += period_demand;
  inventory_sum_ += inventory;
  demand_sum_ += period_demand;
  demand_square_sum_ += period_demand * period_demand;
  order_sum_ += raw_orders;
  order_square_sum_ += raw_orders * raw_orders;
  ++period_;
  out.reward[0] = static_cast<float>(reward);
  observe(out.observation);
  // Without the periods left in view, the horizon is a time limit: the runner
  // truncates at `periods`.
  return {.terminated = params_.observe_periods_left && period_ == params_.periods};
}

int64_t SupplyChainEnv::echelon_position(int item) const {
  const int skus = model_.num_skus(), sku = model_.sku_of(item);
  int64_t position = order_backlog_[item];
  for (int stage : model_.echelon(model_.stage_of(item))) {
    const int member = stage * skus + sku;
    position += on_hand_[member] + in_transit_[member] - customer_backlog_[member];
  }
  return position;
}

int64_t SupplyChainEnv::order_quantity(const ActionRef& action, int item) const {
  const int64_t level = model_.order_quantity(action, item);
  return model_.orders_up_to() ? std::max<int64_t>(0, level - echelon_position(item)) : level;
}

void SupplyChainEnv::write_order(const ActionOutput& out, int item, int64_t quantity) const {
  model_.write_order(out, item,
                     model_.orders_up_to() ? echelon_position(item) + quantity : quantity);
}

void SupplyChainEnv::observe(float* observation) {
  const SupplyChainModel& m = model_;
  const int skus = m.num_skus();
  for (int item = 0; item < m.num_items(); ++item) owed_downstream_[item] = customer_backlog_[item];
  for (int item = 0; item < m.num_items(); ++item) {
    const int supplier = m.supplier(m.stage_of(item));
    if (supplier >= 0) owed_downstream_[supplier * skus + m.sku_of(item)] += order_backlog_[item];
  }
  // Quantities in units of the largest capacity, so that they are of order 1.
  const float scale = 1.0f / static_cast<float>(*std::ranges::max_element(params_.stages.capacity));
  const int lead = m.max_lead_time(), observed = m.observed_pipeline();
  for (int item = 0; item < m.num_items(); ++item) {
    float* row = observation + item * (kItemFeatures + observed);
    row[0] = scale * static_cast<float>(on_hand_[item]);
    row[1] = scale * static_cast<float>(owed_downstream_[item]);
    row[2] = scale * static_cast<float>(order_backlog_[item]);
    row[3] = scale * static_cast<float>(echelon_position(item));
    for (int ahead = 0; ahead < observed; ++ahead)
      row[kItemFeatures + ahead] =
          ahead < lead ? scale * static_cast<float>(pipeline(item, period_ + ahead)) : 0.0f;
    for (int ahead = observed; ahead < lead; ++ahead)
      row[kItemFeatures + observed - 1] +=
          scale * static_cast<float>(pipeline(item, period_ + ahead));
  }
  if (params_.observe_periods_left)
    observation[m.num_items() * (kItemFeatures + observed)] =
        static_cast<float>(params_.periods - period_) / static_cast<float>(params_.periods);
}

void SupplyChainEnv::episode_kpis(std::span<float> out) const {
  const double demand_variance = variance(demand_sum_, demand_square_sum_, period_);
  out[0] = static_cast<float>(profit_);
  out[1] = static_cast<float>(demand_units_ > 0 ? filled_on_time_ / demand_units_ : 1.0);
  out[2] = static_cast<float>(stockouts_);
  out[3] = static_cast<float>(period_ > 0 ? inventory_sum_ / period_ : 0.0);
  out[4] = static_cast<float>(
      demand_variance > 0 ? variance(order_sum_, order_square_sum_, period_) / demand_variance
                          : 0.0);
}

void SupplyChainEnv::archive_state(StateArchive& state) {
  state(period_, history_start_, on_hand_, in_transit_, order_backlog_, customer_backlog_,
        pipeline_);
  state(profit_, demand_units_, filled_on_time_, inventory_sum_, stockouts_, demand_sum_,
        demand_square_sum_, order_sum_, order_square_sum_);
  if (state.loading()) clear_last_period();
}

}  // namespace twinrl

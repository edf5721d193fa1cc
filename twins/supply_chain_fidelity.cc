#include "twins/supply_chain_fidelity.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <tuple>

#include "core/rng.h"
#include "envs/supply_chain/supply_chain_env.h"
#include "twins/ks_distance.h"
#include "twins/supply_chain_simulation.h"

namespace twinrl {
namespace {

double mean(const std::vector<double>& values) {
  if (values.empty()) return 0;
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

}  // namespace

LogSummary summarize_logs(const SupplyChainLogs& logs) {
  LogSummary summary;
  if (logs.sales.empty()) return summary;
  int64_t first = logs.sales.front().period, last = first;
  for (const SalesRow& row : logs.sales) {
    first = std::min(first, row.period);
    last = std::max(last, row.period);
  }
  summary.periods = last - first + 1;
  std::map<std::tuple<int, int, int64_t>, int64_t> stock_at;
  summary.on_hand.assign(static_cast<size_t>(summary.periods), 0.0);
  for (const InventoryRow& row : logs.inventory) {
    stock_at[{row.stage, row.sku, row.period}] = row.on_hand;
    if (row.period >= first && row.period <= last)
      summary.on_hand[static_cast<size_t>(row.period - first)] += static_cast<double>(row.on_hand);
  }
  int64_t in_stock = 0;
  for (const SalesRow& row : logs.sales) {
    summary.sales.push_back(static_cast<double>(row.sales));
    const auto stock = stock_at.find({row.stage, row.sku, row.period});
    if (stock != stock_at.end() && stock->second > 0) ++in_stock;
  }
  for (const ShipmentRow& row : logs.shipments)
    if (row.quantity > 0)
      summary.lead_times.push_back(static_cast<double>(row.received - row.shipped));
  summary.mean_sales = mean(summary.sales);
  summary.in_stock_rate = static_cast<double>(in_stock) / static_cast<double>(summary.sales.size());
  summary.mean_on_hand = mean(summary.on_hand);
  summary.mean_lead_time = mean(summary.lead_times);
  return summary;
}

TwinFidelity measure_fidelity(const LogSummary& log, const SupplyChainModel& twin,
                              const FacilityPolicy& policy, int replications, uint64_t seed) {
  TwinFidelity fidelity;
  // Per KPI: the log's value, and how to read it from a summary.
  struct Kpi {
    const char* name;
    double LogSummary::*field;
  };
  constexpr Kpi kKpis[] = {{"mean sales per period", &LogSummary::mean_sales},
                           {"in-stock rate", &LogSummary::in_stock_rate},
                           {"mean stock on hand", &LogSummary::mean_on_hand},
                           {"mean lead time", &LogSummary::mean_lead_time}};
  std::vector<std::vector<double>> replay_values(std::size(kKpis));
  for (int r = 0; r < replications; ++r) {
    LogSummary replay =
        summarize_logs(simulate_supply_chain_logs(twin, policy, log.periods, stream_seed(seed, r)));
    for (size_t k = 0; k < std::size(kKpis); ++k)
      replay_values[k].push_back(replay.*kKpis[k].field);
    fidelity.replay_sales.insert(fidelity.replay_sales.end(), replay.sales.begin(),
                                 replay.sales.end());
    fidelity.replay_lead_times.insert(fidelity.replay_lead_times.end(), replay.lead_times.begin(),
                                      replay.lead_times.end());
    if (r == 0) fidelity.first_replay = std::move(replay);
  }
  for (size_t k = 0; k < std::size(kKpis); ++k)
    fidelity.kpis.push_back(compare_kpi(kKpis[k].name, log.*kKpis[k].field, replay_values[k]));
  fidelity.sales_ks = ks_distance(log.sales, fidelity.replay_sales);
  fidelity.lead_time_ks = ks_distance(log.lead_times, fidelity.replay_lead_times);
  return fidelity;
}

}  // namespace twinrl

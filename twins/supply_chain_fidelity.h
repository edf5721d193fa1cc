#pragma once
// How close a supply-chain twin is to a facility's logs: the facility's logs
// and the twin's replays of the same horizon under the logged policy are
// summarized alike (supply_chain_simulation.h writes the replays as logs),
// then compared signal by signal.
#include <cstdint>
#include <string>
#include <vector>

#include "twins/facility_policy.h"
#include "twins/kpi_comparison.h"
#include "twins/supply_chain_logs.h"

namespace twinrl {

// What a set of logs shows, per period of the horizon.
struct LogSummary {
  int64_t periods = 0;
  std::vector<double> sales;       // per period and retailer SKU
  std::vector<double> lead_times;  // per shipment
  std::vector<double> on_hand;     // per period: all stages and SKUs together
  double mean_sales = 0;           // per period and retailer SKU
  double in_stock_rate = 0;        // retailer periods that end with stock left (else: stocked out)
  double mean_on_hand = 0;
  double mean_lead_time = 0;
};

// Periods are those of the sales log, from its first to its last.
LogSummary summarize_logs(const SupplyChainLogs& logs);

struct TwinFidelity {
  std::vector<KpiComparison> kpis;
  double sales_ks = 0;      // the log's sales against the replays' sales
  double lead_time_ks = 0;  // and the lead times of their shipments
  LogSummary first_replay;  // for plots
  std::vector<double> replay_sales, replay_lead_times;  // pooled over replays
};

// Replays the log's horizon `replications` times through `twin` under
// `policy` (made by `twin`), replay r seeded from (seed, r).
TwinFidelity measure_fidelity(const LogSummary& log, const SupplyChainModel& twin,
                              const FacilityPolicy& policy, int replications, uint64_t seed);

}  // namespace twinrl

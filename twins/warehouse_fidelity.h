#pragma once
// How close a warehouse twin is to its facility's logs: the logs and the
// twin's replays of the same shifts under the logged dispatcher are
// summarized alike (warehouse_simulation.h writes the replays as logs), then
// compared signal by signal.
#include <cstdint>
#include <vector>

#include "core/worker_pool.h"
#include "twins/facility_policy.h"
#include "twins/kpi_comparison.h"
#include "twins/warehouse_logs.h"

namespace twinrl {

namespace warehouse {
class WarehouseModel;
}

// What a set of warehouse logs shows within the shifts.
struct WarehouseLogSummary {
  std::vector<Shift> shifts;
  double hours = 0;                        // covered by the shifts
  std::vector<double> orders_by_hour;      // per hour of the day: orders received per hour
  std::vector<double> deliveries_by_hour;  // per hour of the day: picks ended per hour
  std::vector<double> pick_times_s;        // every pick's duration
  double orders_per_hour = 0, deliveries_per_hour = 0;
  double mean_pick_time_s = 0;
  double failed_move_fraction = 0;  // of forward moves
};

// Only events within `logs.shifts` count.
WarehouseLogSummary summarize_warehouse_logs(const WarehouseLogs& logs);

struct WarehouseFidelity {
  std::vector<KpiComparison> kpis;
  double pick_time_ks = 0;                  // the log's pick times against the replays'
  WarehouseLogSummary mean_replay;          // per-hour profiles averaged over the replays
  std::vector<double> replay_pick_times_s;  // pooled over replays
};

// Replays the log's shifts `replications` times through `twin` (from
// midnight of the first day to the last shift's end) under its baseline
// `policy`, replay r seeded from (seed, r), the replays in parallel on `pool`.
WarehouseFidelity measure_warehouse_fidelity(const WarehouseLogSummary& log,
                                             const warehouse::WarehouseModel& twin,
                                             const std::string& policy, int replications,
                                             uint64_t seed, WorkerPool& pool);

}  // namespace twinrl

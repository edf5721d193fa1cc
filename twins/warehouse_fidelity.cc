#include "twins/warehouse_fidelity.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/rng.h"
#include "envs/warehouse/warehouse_env.h"
#include "twins/ks_distance.h"
#include "twins/warehouse_simulation.h"

namespace twinrl {
namespace {

constexpr int kHoursPerDay = 24;

size_t hour_of_day(double time_s) {
  return static_cast<size_t>(std::floor(time_s / 3600)) % kHoursPerDay;
}

// Counts per hour of the day divided by the hours the shifts cover in it.
std::vector<double> per_hour(const std::vector<double>& counts,
                             const std::vector<double>& exposure) {
  std::vector<double> rates(kHoursPerDay);
  for (int h = 0; h < kHoursPerDay; ++h) rates[h] = exposure[h] > 0 ? counts[h] / exposure[h] : 0;
  return rates;
}

}  // namespace

WarehouseLogSummary summarize_warehouse_logs(const WarehouseLogs& logs) {
  WarehouseLogSummary summary;
  summary.shifts = logs.shifts;
  const std::vector<double> exposure = shift_hours_per_slot(logs.shifts, 3600, kHoursPerDay);
  std::vector<double> orders(kHoursPerDay), deliveries(kHoursPerDay);
  for (const Shift& shift : logs.shifts) summary.hours += (shift.end_s - shift.start_s) / 3600;
  int64_t order_count = 0, delivery_count = 0, moves = 0, failed = 0;
  ShiftWalk order_walk(logs.shifts), event_walk(logs.shifts);
  for (const OrderArrival& order : logs.orders)
    if (order_walk.covers(order.time_s)) {
      ++orders[hour_of_day(order.time_s)];
      ++order_count;
    }
  for (const RobotEvent& event : logs.robot_events) {
    if (!event_walk.covers(event.time_s)) continue;
    switch (event.kind) {
      case RobotEventKind::kPickEnd:
        ++deliveries[hour_of_day(event.time_s)];
        ++delivery_count;
        break;
      case RobotEventKind::kPickStart:
        break;
      default:
        ++moves;
        failed += event.kind == RobotEventKind::kFailedMove;
    }
  }
  summary.orders_by_hour = per_hour(orders, exposure);
  summary.deliveries_by_hour = per_hour(deliveries, exposure);
  if (summary.hours > 0) {
    summary.orders_per_hour = static_cast<double>(order_count) / summary.hours;
    summary.deliveries_per_hour = static_cast<double>(delivery_count) / summary.hours;
  }
  summary.pick_times_s = pick_durations(logs);
  if (!summary.pick_times_s.empty())
    summary.mean_pick_time_s =
        std::accumulate(summary.pick_times_s.begin(), summary.pick_times_s.end(), 0.0) /
        static_cast<double>(summary.pick_times_s.size());
  if (moves > 0)
    summary.failed_move_fraction = static_cast<double>(failed) / static_cast<double>(moves);
  return summary;
}

WarehouseFidelity measure_warehouse_fidelity(const WarehouseLogSummary& log,
                                             const warehouse::WarehouseModel& twin,
                                             const std::string& policy, int replications,
                                             uint64_t seed, WorkerPool& pool) {
  const double end_s = log.shifts.empty() ? 0.0 : log.shifts.back().end_s;
  const auto steps = static_cast<int64_t>(std::ceil(end_s / twin.params().control_period_s));
  std::vector<WarehouseLogSummary> replays(replications);
  auto replay = [&](int part) {
    for (int r = part; r < replications; r += pool.size()) {
      const auto baseline = twin.make_baseline(policy, stream_seed(seed, r));
      WarehouseLogs logs = simulate_warehouse_logs(twin, baseline_facility_policy(*baseline), steps,
                                                   stream_seed(seed, r));
      logs.shifts = log.shifts;
      replays[r] = summarize_warehouse_logs(logs);
    }
  };
  pool.run(replay);

  WarehouseFidelity fidelity;
  struct Kpi {
    const char* name;
    double WarehouseLogSummary::*field;
    double unit;
  };
  constexpr Kpi kKpis[] = {
      {"orders received per hour", &WarehouseLogSummary::orders_per_hour, 1},
      {"orders delivered per hour", &WarehouseLogSummary::deliveries_per_hour, 1},
      {"mean pick time (s)", &WarehouseLogSummary::mean_pick_time_s, 1},
      {"failed forward moves (%)", &WarehouseLogSummary::failed_move_fraction, 100}};
  for (const Kpi& kpi : kKpis) {
    std::vector<double> values;
    for (const WarehouseLogSummary& summary : replays)
      values.push_back(summary.*kpi.field * kpi.unit);
    fidelity.kpis.push_back(compare_kpi(kpi.name, log.*kpi.field * kpi.unit, values));
  }
  WarehouseLogSummary& mean = fidelity.mean_replay;
  mean.shifts = log.shifts;
  mean.hours = log.hours;
  mean.orders_by_hour.assign(kHoursPerDay, 0);
  mean.deliveries_by_hour.assign(kHoursPerDay, 0);
  for (const WarehouseLogSummary& summary : replays) {
    for (int h = 0; h < kHoursPerDay; ++h) {
      mean.orders_by_hour[h] += summary.orders_by_hour[h] / replications;
      mean.deliveries_by_hour[h] += summary.deliveries_by_hour[h] / replications;
    }
    fidelity.replay_pick_times_s.insert(fidelity.replay_pick_times_s.end(),
                                        summary.pick_times_s.begin(), summary.pick_times_s.end());
  }
  fidelity.pick_time_ks = ks_distance(log.pick_times_s, fidelity.replay_pick_times_s);
  return fidelity;
}

}  // namespace twinrl

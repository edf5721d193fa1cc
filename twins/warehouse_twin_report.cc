#include "twins/warehouse_twin_report.h"

#include <algorithm>
#include <cmath>

#include "twins/twin_report.h"

namespace twinrl {
namespace {

using nlohmann::json;

// The pick time at every whole percentile 0..100 (empty without picks).
json percentiles(std::vector<double> values) {
  json result = json::array();
  if (values.empty()) return result;
  std::ranges::sort(values);
  for (int p = 0; p <= 100; ++p)
    result.push_back(values[static_cast<size_t>(
        std::lround(p / 100.0 * static_cast<double>(values.size() - 1)))]);
  return result;
}

}  // namespace

json warehouse_twin_report_json(const WarehouseTwinReportInput& input) {
  const WarehouseLogSummary& log = input.log;
  json report = {{"title", input.title},
                 {"config", input.config},
                 {"logs", input.logs},
                 {"command", input.command},
                 {"log",
                  {{"hours", log.hours},
                   {"shifts", log.shifts.size()},
                   {"picks", log.pick_times_s.size()},
                   {"orders_per_hour", log.orders_per_hour},
                   {"deliveries_per_hour", log.deliveries_per_hour}}}};
  json notes = json::array();
  if (const WarehouseCalibration* calibration = input.calibration) {
    report["parameters"] = calibrated_values_json(calibration->values);
    json slots = json::array();
    for (const ArrivalSlot& slot : calibration->slots)
      slots.push_back({{"exposure_hours", slot.exposure_hours}, {"orders", slot.orders}});
    report["arrival_slots"] = {{"slot_s", calibration->slot_s}, {"slots", slots}};
    report["moves"] = {{"forward", calibration->forward_moves},
                       {"failed", calibration->failed_moves}};
    notes = calibration->notes;
  }
  report["notes"] = notes;

  json fidelity = json::array();
  json orders = {{"x0", 0}, {"series", {report_series("log", log.orders_by_hour)}}};
  json deliveries = {{"x0", 0}, {"series", {report_series("log", log.deliveries_by_hour)}}};
  json picks = {{"x0", 0}, {"series", {report_series("log", percentiles(log.pick_times_s))}}};
  for (const WarehouseFidelityColumn& column : input.twins) {
    const WarehouseFidelity& twin = column.fidelity;
    fidelity.push_back({{"twin", column.label},
                        {"pick_time_ks", twin.pick_time_ks},
                        {"kpis", kpis_json(twin.kpis)}});
    orders["series"].push_back(report_series(column.label, twin.mean_replay.orders_by_hour));
    deliveries["series"].push_back(
        report_series(column.label, twin.mean_replay.deliveries_by_hour));
    picks["series"].push_back(report_series(column.label, percentiles(twin.replay_pick_times_s)));
  }
  report["fidelity"] = fidelity;
  report["plots"] = {{"orders_by_hour", orders},
                     {"deliveries_by_hour", deliveries},
                     {"pick_time_percentiles", picks}};
  return report;
}

std::string warehouse_twin_report_html(const json& report) {
  const json& log = report["log"];
  std::string body =
      "<section class=\"card\"><h2>Logs</h2><p>" + report_text(report["logs"]) + ": " +
      report_number(log["hours"].get<double>(), 1) + " hours in " +
      std::to_string(log["shifts"].get<int64_t>()) + " shift(s), " +
      report_number(log["orders_per_hour"].get<double>(), 1) + " orders received and " +
      report_number(log["deliveries_per_hour"].get<double>(), 1) + " delivered per hour, " +
      std::to_string(log["picks"].get<int64_t>()) + " picks.</p></section>";

  if (report.contains("parameters")) {
    const json& moves = report["moves"];
    body +=
        "<section class=\"card\"><h2>Calibrated parameters</h2><p>Order arrival rates are "
        "orders per hour in each slot of " +
        report_number(report["arrival_slots"]["slot_s"].get<double>() / 3600, 2) +
        " h; the move failure probability is from " +
        std::to_string(moves["failed"].get<int64_t>()) + " failed of " +
        std::to_string(moves["forward"].get<int64_t>()) + " forward moves.</p>" +
        calibrated_values_html(report["parameters"]) + notes_html(report["notes"]) + "</section>";
  }

  body +=
      "<section class=\"card\"><h2>Fidelity: the logged shifts replayed through the twin "
      "under the logged dispatcher</h2>" +
      fidelity_table_html(report["fidelity"], {{"KS distance, pick times", "pick_time_ks"}}) +
      "<div class=\"twin-figures\">";
  const json& plots = report["plots"];
  body +=
      line_chart_html(plots["orders_by_hour"], "Orders received per hour (twins: mean of replays)",
                      "hour of the day", "orders per hour");
  body += line_chart_html(plots["deliveries_by_hour"],
                          "Orders delivered per hour (twins: mean of replays)", "hour of the day",
                          "orders per hour");
  body += line_chart_html(plots["pick_time_percentiles"], "Pick times", "percentile", "seconds");
  body += "</div></section>";
  return twin_page(report["title"].get<std::string>(), report["config"].get<std::string>(), body);
}

}  // namespace twinrl

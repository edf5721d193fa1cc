#pragma once
// The fidelity report of a warehouse twin, as JSON and as a self-contained
// HTML page (twin_report.h's page, tables and charts): the calibrated
// parameters with their intervals (and the truth where known), then the
// logs against each twin's replays under the logged dispatcher: orders
// received and delivered per hour (overall and by hour of the day), pick
// times (mean, distribution) and failed moves.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "twins/warehouse_calibration.h"
#include "twins/warehouse_fidelity.h"

namespace twinrl {

// One twin compared with the logs: "uncalibrated twin", "calibrated twin".
struct WarehouseFidelityColumn {
  std::string label;
  WarehouseFidelity fidelity;
};

struct WarehouseTwinReportInput {
  std::string title, config, logs, command;
  const WarehouseCalibration* calibration = nullptr;  // null for validate
  WarehouseLogSummary log;
  std::vector<WarehouseFidelityColumn> twins = {};
};

nlohmann::json warehouse_twin_report_json(const WarehouseTwinReportInput& input);
std::string warehouse_twin_report_html(const nlohmann::json& report);

}  // namespace twinrl

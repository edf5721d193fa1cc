#pragma once
// The fidelity report of an arm twin, as JSON and as a self-contained HTML
// page (twin_report.h's page and tables): the calibrated parameters with
// their intervals (and the truth where known), the latency search, per joint
// the RMSE of replays against the fit logs and the held-out logs before and
// after calibration, and one held-out episode's logged and replayed joint
// trajectories.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "twins/arm_calibration.h"

namespace twinrl {

// One twin's replays of one set of logs: "uncalibrated twin" on "fit logs".
struct ArmFidelityColumn {
  std::string twin, logs;
  ArmFidelity fidelity;
};

struct ArmTwinReportInput {
  std::string title, config, logs, command;
  const ArmCalibration* calibration = nullptr;  // null for validate
  double calibration_seconds = 0;
  std::vector<ArmFidelityColumn> columns = {};
  // The logged first episode of the charted logs, per joint (positions).
  std::vector<std::vector<double>> logged = {};
};

nlohmann::json arm_twin_report_json(const ArmTwinReportInput& input);
std::string arm_twin_report_html(const nlohmann::json& report);

}  // namespace twinrl

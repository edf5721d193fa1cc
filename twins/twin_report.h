#pragma once
// The fidelity report of a supply-chain twin, as JSON (for scripts and the
// benchmarks) and as one self-contained HTML page in the run report's style
// (tables and inline SVG plots, no scripts, no network). The page is made
// from the JSON alone, so both always say the same.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "twins/supply_chain_calibration.h"
#include "twins/supply_chain_fidelity.h"

namespace twinrl {

// One twin compared with the logs: "uncalibrated twin", "calibrated twin".
struct FidelityColumn {
  std::string label;
  TwinFidelity fidelity;
};

struct TwinReportInput {
  std::string title;                                    // what the page is about
  std::string config;                                   // the twin's config file
  std::string logs;                                     // the logs directory
  std::string command;                                  // calibrate or validate
  const SupplyChainCalibration* calibration = nullptr;  // null for validate
  LogSummary log;
  std::vector<FidelityColumn> twins = {};
};

nlohmann::json twin_report_json(const TwinReportInput& input);
std::string twin_report_html(const nlohmann::json& report);

// The page around a twin report's sections (also the what-if report's): the
// run report's stylesheet and the charts' styles; `body` is HTML.
std::string twin_page(const std::string& title, const std::string& subtitle,
                      const std::string& body);

// Parts every twin's report shares: calibrated values as JSON (value,
// interval, identified, guess, truth) and as a table; notes as a list; charts
// and the fidelity table; a
// number with fixed digits; a JSON string escaped for HTML; a table cell
// (right-aligned for numbers); the colours of the log and of each twin in charts.
nlohmann::json calibrated_values_json(const std::vector<CalibratedValue>& values);
std::string calibrated_values_html(const nlohmann::json& parameters);
std::string notes_html(const nlohmann::json& notes);
// A line series and a line chart from {"x0", "series": [{"name", "y"}]}
// (x = x0, x0 + 1, ...): the series named "log" solid, the twins dashed.
nlohmann::json report_series(const std::string& name, const nlohmann::json& y);
std::string line_chart_html(const nlohmann::json& plot, const std::string& title,
                            const std::string& x_label, const std::string& y_label);
// Fidelity KPIs as JSON, and the table of a report's "fidelity" columns
// ({"twin", "kpis"}) with `extra` rows of one number per twin (label, key).
nlohmann::json kpis_json(const std::vector<KpiComparison>& kpis);
std::string fidelity_table_html(const nlohmann::json& fidelity,
                                const std::vector<std::pair<std::string, std::string>>& extra);
std::string report_number(double value, int digits);
std::string report_text(const nlohmann::json& text);
std::string report_cell(const std::string& text, bool number = true);
inline constexpr const char* kReportLogColour = "#1f2933";
const char* report_twin_colour(size_t twin);

}  // namespace twinrl

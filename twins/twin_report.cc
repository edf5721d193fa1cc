#include "twins/twin_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "twins/svg_chart.h"
#include "viewer/html_page.h"

namespace twinrl {
namespace {

using nlohmann::json;

// The share of each whole value 0..max in `values`.
json mass_function(const std::vector<double>& values, int max_value) {
  std::vector<double> counts(static_cast<size_t>(max_value) + 1);
  for (double value : values)
    if (value >= 0 && value <= max_value) counts[static_cast<size_t>(value)] += 1;
  for (double& count : counts) count /= std::max<double>(1.0, static_cast<double>(values.size()));
  return counts;
}

json estimate_json(const Estimate& estimate) {
  return {{"value", estimate.value},
          {"low", estimate.low},
          {"high", estimate.high},
          {"identified", estimate.identified}};
}

}  // namespace

json twin_report_json(const TwinReportInput& input) {
  json report = {{"title", input.title},
                 {"config", input.config},
                 {"logs", input.logs},
                 {"command", input.command}};
  const LogSummary& log = input.log;
  report["log"] = {{"periods", log.periods},
                   {"retail_periods", log.sales.size()},
                   {"shipments", log.lead_times.size()},
                   {"in_stock_rate", log.in_stock_rate}};
  json notes = json::array();
  if (const SupplyChainCalibration* calibration = input.calibration) {
    report["parameters"] = calibrated_values_json(calibration->values);
    if (calibration->demand) {
      const DemandFit& fit = *calibration->demand;
      json candidates = json::array();
      for (const DemandCandidate& candidate : fit.candidates)
        candidates.push_back({{"family", family_name(candidate.family)},
                              {"profile_length", candidate.profile_length},
                              {"log_likelihood", candidate.log_likelihood},
                              {"parameters", candidate.num_parameters},
                              {"aic", candidate.aic},
                              {"bic", candidate.bic},
                              {"chosen", candidate.chosen}});
      report["demand"] = {{"family", family_name(fit.family)},
                          {"profile_length", fit.profile_length},
                          {"periods", fit.periods},
                          {"censored_periods", fit.censored_periods},
                          {"naive_mean", fit.naive_mean},
                          {"mean", estimate_json(fit.mean)},
                          {"candidates", candidates}};
    }
    json lead_times = json::array();
    for (const auto& [stage, fit] : calibration->lead_times)
      lead_times.push_back({{"stage", stage},
                            {"shipments", fit.shipments},
                            {"fixed", fit.fixed},
                            {"shortest", estimate_json(fit.shortest)},
                            {"longest", estimate_json(fit.longest)},
                            {"uniform_p_value", fit.uniform_p_value}});
    report["lead_times"] = lead_times;
    notes = calibration->notes;
  }
  report["notes"] = notes;

  json fidelity = json::array();
  double max_sales = 0, max_lead = 0;
  for (double value : log.sales) max_sales = std::max(max_sales, value);
  for (double value : log.lead_times) max_lead = std::max(max_lead, value);
  for (const FidelityColumn& column : input.twins) {
    fidelity.push_back({{"twin", column.label},
                        {"sales_ks", column.fidelity.sales_ks},
                        {"lead_time_ks", column.fidelity.lead_time_ks},
                        {"kpis", kpis_json(column.fidelity.kpis)}});
    for (double value : column.fidelity.replay_lead_times) max_lead = std::max(max_lead, value);
  }
  report["fidelity"] = fidelity;

  // Plots: distributions over whole values, and the first periods of stock.
  const int sales_top = static_cast<int>(max_sales * 1.25) + 1;
  const int lead_top = static_cast<int>(max_lead) + 1;
  const size_t trace = std::min<size_t>(log.on_hand.size(), 120);
  json sales = {{"x0", 0}, {"series", {report_series("log", mass_function(log.sales, sales_top))}}};
  json leads = {{"x0", 0},
                {"series", {report_series("log", mass_function(log.lead_times, lead_top))}}};
  json stock = {{"x0", 0},
                {"series",
                 {report_series("log", std::vector<double>(log.on_hand.begin(),
                                                           log.on_hand.begin() + trace))}}};
  for (const FidelityColumn& column : input.twins) {
    const TwinFidelity& twin = column.fidelity;
    sales["series"].push_back(
        report_series(column.label, mass_function(twin.replay_sales, sales_top)));
    leads["series"].push_back(
        report_series(column.label, mass_function(twin.replay_lead_times, lead_top)));
    const auto& replay = twin.first_replay.on_hand;
    stock["series"].push_back(report_series(
        column.label,
        std::vector<double>(replay.begin(), replay.begin() + std::min(trace, replay.size()))));
  }
  report["plots"] = {{"sales", sales}, {"lead_time", leads}, {"on_hand", stock}};
  return report;
}

std::string twin_report_html(const json& report) {
  std::string body;
  body += "<section class=\"card\"><h2>Logs</h2><p>" + report_text(report["logs"]) + ": " +
          std::to_string(report["log"]["periods"].get<int64_t>()) + " periods, " +
          std::to_string(report["log"]["shipments"].get<int64_t>()) +
          " shipments; retailer stock ran out in " +
          report_number(100 * (1 - report["log"]["in_stock_rate"].get<double>()), 1) +
          "% of periods (sales there are a lower bound on demand).</p></section>";

  if (report.contains("parameters")) {
    body += "<section class=\"card\"><h2>Calibrated parameters</h2>" +
            calibrated_values_html(report["parameters"]);
    if (report.contains("demand")) {
      const json& demand = report["demand"];
      body += "<h3>Demand model</h3><p>" +
              std::to_string(demand["censored_periods"].get<int64_t>()) + " of " +
              std::to_string(demand["periods"].get<int64_t>()) +
              " periods censored by stock-outs. Mean of sales " +
              report_number(demand["naive_mean"].get<double>(), 2) +
              "; censored estimate of mean demand " +
              report_number(demand["mean"]["value"].get<double>(), 2) +
              ".</p><table id=\"candidates\"><thead><tr><th>family</th><th>profile</th><th>log "
              "likelihood</th><th>parameters</th><th>AIC</th><th>BIC</th></tr></thead><tbody>";
      for (const json& c : demand["candidates"]) {
        const std::string open =
            c["chosen"].get<bool>() ? "<td class=\"number best\">" : "<td class=\"number\">";
        body += "<tr>" +
                report_cell(report_text(c["family"]) + (c["chosen"].get<bool>() ? " (chosen)" : ""),
                            false) +
                report_cell(c["profile_length"].get<int>() == 0
                                ? "none"
                                : std::to_string(c["profile_length"].get<int>()) + " periods") +
                report_cell(report_number(c["log_likelihood"].get<double>(), 1)) +
                report_cell(std::to_string(c["parameters"].get<int>())) + open +
                report_number(c["aic"].get<double>(), 1) + "</td>" + open +
                report_number(c["bic"].get<double>(), 1) + "</td></tr>";
      }
      body += "</tbody></table>";
    }
    body += notes_html(report["notes"]);
    body += "</section>";
  }

  body +=
      "<section class=\"card\"><h2>Fidelity: the logged period replayed through the twin "
      "under the logged policy</h2>" +
      fidelity_table_html(report["fidelity"], {{"KS distance, sales per period", "sales_ks"},
                                               {"KS distance, lead times", "lead_time_ks"}}) +
      "<div class=\"twin-figures\">";
  const json& plots = report["plots"];
  body +=
      line_chart_html(plots["sales"], "Sales per period: share of periods", "units sold", "share");
  body += line_chart_html(plots["lead_time"], "Lead times: share of shipments", "periods", "share");
  body += line_chart_html(plots["on_hand"], "Stock on hand, first periods (one replay)", "period",
                          "units");
  body += "</div></section>";

  return twin_page(report["title"].get<std::string>(), report["config"].get<std::string>(), body);
}

json report_series(const std::string& name, const json& y) {
  return {{"name", name}, {"y", y}};
}

std::string line_chart_html(const json& plot, const std::string& title, const std::string& x_label,
                            const std::string& y_label) {
  LineChart chart{.title = title, .x_label = x_label, .y_label = y_label};
  size_t colour = 0;
  for (const json& entry : plot["series"]) {
    ChartSeries line{.name = entry["name"].get<std::string>()};
    const bool is_log = line.name == "log";
    line.colour = is_log ? kReportLogColour : report_twin_colour(colour++);
    line.dashed = !is_log;
    const double x0 = plot["x0"].get<double>();
    for (size_t i = 0; i < entry["y"].size(); ++i) {
      line.x.push_back(x0 + static_cast<double>(i));
      line.y.push_back(entry["y"][i].get<double>());
    }
    chart.series.push_back(std::move(line));
  }
  return "<figure class=\"twin-figure\">" + svg_line_chart(chart) + "</figure>";
}

json kpis_json(const std::vector<KpiComparison>& kpis) {
  json entries = json::array();
  for (const KpiComparison& kpi : kpis)
    entries.push_back({{"name", kpi.name},
                       {"log", kpi.log},
                       {"twin_mean", kpi.twin_mean},
                       {"twin_low", kpi.twin_low},
                       {"twin_high", kpi.twin_high},
                       {"relative_error", kpi.relative_error()}});
  return entries;
}

std::string fidelity_table_html(const json& fidelity,
                                const std::vector<std::pair<std::string, std::string>>& extra) {
  std::string body =
      "<div class=\"table-scroll\"><table id=\"fidelity\"><thead><tr><th>signal</th><th>log</th>";
  for (const json& twin : fidelity)
    body += "<th>" + report_text(twin["twin"]) + " (95% of replays)</th><th>error</th>";
  body += "</tr></thead><tbody>";
  if (!fidelity.empty()) {
    const json& first = fidelity[0]["kpis"];
    for (size_t k = 0; k < first.size(); ++k) {
      body += "<tr>" + report_cell(report_text(first[k]["name"]), false) +
              report_cell(report_number(first[k]["log"].get<double>(), 3));
      for (const json& twin : fidelity) {
        const json& kpi = twin["kpis"][k];
        body += report_cell(report_number(kpi["twin_mean"].get<double>(), 3) + " [" +
                            report_number(kpi["twin_low"].get<double>(), 3) + ", " +
                            report_number(kpi["twin_high"].get<double>(), 3) + "]") +
                report_cell(report_number(100 * kpi["relative_error"].get<double>(), 1) + "%");
      }
      body += "</tr>";
    }
    for (const auto& [label, key] : extra) {
      body += "<tr>" + report_cell(label, false) + report_cell("");
      for (const json& twin : fidelity)
        body += report_cell(report_number(twin[key].get<double>(), 3)) + report_cell("");
      body += "</tr>";
    }
  }
  return body + "</tbody></table></div>";
}

std::string report_text(const json& text) {
  return viewer::html_escaped(text.get<std::string>());
}

std::string report_cell(const std::string& text, bool number) {
  return std::string(number ? "<td class=\"number\">" : "<td>") + text + "</td>";
}

const char* report_twin_colour(size_t twin) {
  constexpr const char* kColours[] = {"#b42318", "#2563eb", "#15803d", "#a16207"};
  return kColours[twin % std::size(kColours)];
}

std::string report_number(double value, int digits) {
  char text[48];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

json calibrated_values_json(const std::vector<CalibratedValue>& values) {
  json parameters = json::array();
  for (const CalibratedValue& value : values) {
    json entry = estimate_json(value.estimate);
    entry["parameter"] = value.parameter;
    entry["guess"] = value.guess;
    entry["truth"] = value.truth ? json(*value.truth) : json(nullptr);
    if (value.truth)
      entry["truth_in_interval"] =
          *value.truth >= value.estimate.low - 1e-9 && *value.truth <= value.estimate.high + 1e-9;
    parameters.push_back(entry);
  }
  return parameters;
}

std::string calibrated_values_html(const json& parameters) {
  std::string body =
      "<div class=\"table-scroll\"><table id=\"parameters\"><thead><tr><th>parameter</th>"
      "<th>estimate</th><th>interval</th><th>twin's guess</th><th>truth</th></tr></thead>"
      "<tbody>";
  for (const json& p : parameters) {
    std::string truth = "";
    if (!p["truth"].is_null())
      truth = report_number(p["truth"].get<double>(), 3) +
              (p["truth_in_interval"].get<bool>() ? "" : " <span class=\"error\">outside</span>");
    body += "<tr>" + report_cell(report_text(p["parameter"]), false) +
            report_cell(report_number(p["value"].get<double>(), 3)) +
            report_cell(p["identified"].get<bool>()
                            ? "[" + report_number(p["low"].get<double>(), 3) + ", " +
                                  report_number(p["high"].get<double>(), 3) + "]"
                            : "<span class=\"error\">not determined by the logs</span>") +
            report_cell(report_number(p["guess"].get<double>(), 3)) + report_cell(truth) + "</tr>";
  }
  return body + "</tbody></table></div>";
}

std::string notes_html(const json& notes) {
  if (notes.empty()) return "";
  std::string body = "<h3>Notes</h3><ul>";
  for (const json& note : notes) body += "<li>" + report_text(note) + "</li>";
  return body + "</ul>";
}

std::string twin_page(const std::string& title, const std::string& subtitle,
                      const std::string& body) {
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta "
         "name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" +
         viewer::html_escaped(title) + "</title><style>" + std::string(viewer::page_stylesheet()) +
         "\n.twin-figures { display: flex; flex-wrap: wrap; gap: 16px; margin-top: 16px; }\n"
         ".twin-figure { margin: 0 0 12px; }\n.twin-chart .grid { stroke: var(--line); }\n"
         ".twin-chart .axis { stroke: var(--muted); }\n"
         ".twin-chart .tick { font-size: 11px; fill: var(--muted); }\n"
         ".twin-chart .chart-heading { font-size: 13px; font-weight: 600; fill: var(--text); }\n"
         "</style></head><body data-ready=\"1\"><header class=\"page-header\"><h1>" +
         viewer::html_escaped(title) + "</h1><p class=\"run-name\">" +
         viewer::html_escaped(subtitle) + "</p></header><main>" + body + "</main></body></html>\n";
}

}  // namespace twinrl

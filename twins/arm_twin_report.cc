#include "twins/arm_twin_report.h"

#include <cmath>

#include "twins/svg_chart.h"
#include "twins/twin_report.h"
#include "viewer/html_page.h"

namespace twinrl {
using nlohmann::json;

json arm_twin_report_json(const ArmTwinReportInput& input) {
  json report = {{"title", input.title},
                 {"config", input.config},
                 {"logs", input.logs},
                 {"command", input.command},
                 {"notes", json::array()}};
  if (const ArmCalibration* calibration = input.calibration) {
    report["parameters"] = calibrated_values_json(calibration->values);
    report["notes"] = calibration->notes;
    const ArmFitResult& fit = calibration->fit;
    json latency_costs = json::array();
    for (double cost : fit.latency_costs)
      latency_costs.push_back(std::isnan(cost) ? json(nullptr) : json(cost));
    report["fit"] = {{"seconds", input.calibration_seconds},
                     {"iterations", fit.iterations},
                     {"residuals", fit.residuals},
                     {"cost_before", fit.cost_before},
                     {"cost_after", fit.cost_after},
                     {"latency_steps", fit.latency_steps},
                     {"latency_costs", latency_costs},
                     {"position_noise",
                      {{"value", fit.position_noise.value},
                       {"low", fit.position_noise.low},
                       {"high", fit.position_noise.high}}}};
  }
  json columns = json::array();
  for (const ArmFidelityColumn& column : input.columns)
    columns.push_back({{"twin", column.twin},
                       {"logs", column.logs},
                       {"joints", column.fidelity.joints},
                       {"position_rmse", column.fidelity.position_rmse},
                       {"velocity_rmse", column.fidelity.velocity_rmse},
                       {"time_s", column.fidelity.time_s},
                       {"replayed", column.fidelity.replayed}});
  report["fidelity"] = columns;
  report["logged"] = input.logged;
  return report;
}

std::string arm_twin_report_html(const json& report) {
  std::string body;
  if (report.contains("parameters")) {
    const json& fit = report["fit"];
    body += "<section class=\"card\"><h2>Identified parameters</h2><p>Least squares on " +
            std::to_string(fit["residuals"].get<int64_t>()) + " residuals (joint positions and " +
            "velocities of every logged step, replayed open loop from each episode's start) in " +
            report_number(fit["seconds"].get<double>(), 1) + " s, " +
            std::to_string(fit["iterations"].get<int>()) +
            " Levenberg-Marquardt iterations; cost " +
            report_number(fit["cost_before"].get<double>(), 6) + " at the twin's guess, " +
            report_number(fit["cost_after"].get<double>(), 6) + " at the fit.</p>" +
            calibrated_values_html(report["parameters"]);
    body +=
        "<h3>Control latency</h3><table id=\"latency\"><thead><tr><th>latency "
        "(control steps)</th><th>cost at the fit</th></tr></thead><tbody>";
    const json& costs = fit["latency_costs"];
    for (size_t steps = 0; steps < costs.size(); ++steps)
      if (!costs[steps].is_null())
        body +=
            "<tr>" +
            report_cell(
                std::to_string(steps) +
                    (static_cast<int>(steps) == fit["latency_steps"].get<int>() ? " (chosen)" : ""),
                false) +
            report_cell(report_number(costs[steps].get<double>(), 6)) + "</tr>";
    body += "</tbody></table><p>Position residuals at the fit: RMS " +
            report_number(fit["position_noise"]["value"].get<double>(), 5) +
            " rad (the sensor noise, where the model is right).</p>";
    body += notes_html(report["notes"]) + "</section>";
  }

  body +=
      "<section class=\"card\"><h2>Fidelity: logged actions replayed through the twin</h2>"
      "<p>Root mean square error per arm joint of the twin's open-loop replay of every "
      "logged episode against the log: positions (rad) and velocities (rad/s).</p><div "
      "class=\"table-scroll\"><table id=\"fidelity\"><thead><tr><th>joint</th>";
  const json& columns = report["fidelity"];
  for (const json& column : columns)
    body += "<th>" + report_text(column["twin"]) + ", " + report_text(column["logs"]) +
            ": position</th><th>" + "velocity</th>";
  body += "</tr></thead><tbody>";
  if (!columns.empty()) {
    const json& joints = columns[0]["joints"];
    for (size_t j = 0; j < joints.size(); ++j) {
      body += "<tr>" + report_cell(report_text(joints[j]), false);
      for (const json& column : columns)
        body += report_cell(report_number(column["position_rmse"][j].get<double>(), 5)) +
                report_cell(report_number(column["velocity_rmse"][j].get<double>(), 4));
      body += "</tr>";
    }
  }
  body += "</tbody></table></div>";

  // One episode per joint: the log and the replays of the last logs compared.
  const json& logged = report["logged"];
  if (!columns.empty() && !logged.empty()) {
    const std::string charted = columns.back()["logs"].get<std::string>();
    body += "<h3>First episode of the " + viewer::html_escaped(charted) +
            ": logged and replayed joint positions</h3><div class=\"twin-figures\">";
    for (size_t j = 0; j < logged.size(); ++j) {
      LineChart chart{.title = columns[0]["joints"][j].get<std::string>(),
                      .x_label = "time (s)",
                      .y_label = "position (rad)"};
      const json& time = columns.back()["time_s"];
      ChartSeries log{.name = "log", .colour = kReportLogColour};
      for (size_t i = 0; i < logged[j].size() && i < time.size(); ++i) {
        log.x.push_back(time[i].get<double>());
        log.y.push_back(logged[j][i].get<double>());
      }
      chart.series.push_back(log);
      size_t colour = 0;
      for (const json& column : columns) {
        if (column["logs"].get<std::string>() != charted) continue;
        ChartSeries replay{.name = column["twin"].get<std::string>(),
                           .colour = report_twin_colour(colour++),
                           .dashed = true};
        for (size_t i = 0; i < column["time_s"].size(); ++i) {
          replay.x.push_back(column["time_s"][i].get<double>());
          replay.y.push_back(column["replayed"][j][i].get<double>());
        }
        chart.series.push_back(replay);
      }
      chart.width = 420;
      chart.height = 240;
      body += "<figure class=\"twin-figure\">" + svg_line_chart(chart) + "</figure>";
    }
    body += "</div>";
  }
  body += "</section>";
  return twin_page(report["title"].get<std::string>(), report["config"].get<std::string>(), body);
}

}  // namespace twinrl

#include "twins/whatif_report.h"

#include <cmath>
#include <cstdio>

#include "core/evaluation_result.h"
#include "twins/svg_chart.h"
#include "twins/twin_report.h"
#include "viewer/html_page.h"

namespace twinrl {
namespace {

using nlohmann::json;

constexpr const char* kColours[] = {"#2563eb", "#b42318", "#15803d",
                                    "#a16207", "#7c3aed", "#0f766e"};

std::string format(double value) {
  char text[48];
  std::snprintf(text, sizeof text, std::fabs(value) >= 100 ? "%.1f" : "%.3g", value);
  return text;
}

std::string esc(const json& text) {
  return viewer::html_escaped(text.get<std::string>());
}

}  // namespace

json whatif_json(const WhatIfResults& results) {
  json report = {{"config", results.config},       {"scenarios_file", results.scenarios_file},
                 {"episodes", results.episodes},   {"seed", results.seed},
                 {"scenarios", results.scenarios}, {"policies", results.policies},
                 {"kpis", json::array()}};
  for (size_t k = 0; k < results.kpi_names.size(); ++k) {
    json rows = json::array();
    for (size_t s = 0; s < results.scenarios.size(); ++s)
      for (size_t p = 0; p < results.policies.size(); ++p) {
        const std::vector<float>& values = results.values[s][p][k];
        const auto [mean, spread] = mean_and_std(values);
        const double half = 1.96 * spread / std::sqrt(static_cast<double>(values.size()));
        const PairedDifference difference = paired_difference(values, results.values[s][0][k]);
        rows.push_back({{"scenario", results.scenarios[s]},
                        {"policy", results.policies[p]},
                        {"mean", mean},
                        {"low", mean - half},
                        {"high", mean + half},
                        {"difference", difference.mean},
                        {"difference_low", difference.mean - difference.half_width},
                        {"difference_high", difference.mean + difference.half_width}});
      }
    report["kpis"].push_back({{"name", results.kpi_names[k]}, {"rows", rows}});
  }
  return report;
}

std::string whatif_markdown(const WhatIfResults& results) {
  const json report = whatif_json(results);
  std::string table = "| scenario | policy | return [95% CI] | vs " + results.policies.front() +
                      " (paired) |\n|---|---|---:|---:|\n";
  for (const json& row : report["kpis"][0]["rows"])
    table += "| " + row["scenario"].get<std::string>() + " | " + row["policy"].get<std::string>() +
             " | " + format(row["mean"].get<double>()) + " [" + format(row["low"].get<double>()) +
             ", " + format(row["high"].get<double>()) + "] | " +
             format(row["difference"].get<double>()) + " [" +
             format(row["difference_low"].get<double>()) + ", " +
             format(row["difference_high"].get<double>()) + "] |\n";
  return table;
}

std::string whatif_html(const json& report) {
  const std::vector<std::string> scenarios = report["scenarios"];
  const std::vector<std::string> policies = report["policies"];
  std::string body = "<section class=\"card\"><p>" + std::to_string(report["episodes"].get<int>()) +
                     " episodes per policy and scenario, the same seeded episodes for every "
                     "policy (common random numbers, seed " +
                     std::to_string(report["seed"].get<uint64_t>()) +
                     "). Bars: means with 95% intervals; tables: the paired difference to " +
                     viewer::html_escaped(policies.front()) + ".</p></section>";
  for (const json& kpi : report["kpis"]) {
    BarChart chart{.title = kpi["name"].get<std::string>(),
                   .y_label = kpi["name"].get<std::string>(),
                   .categories = scenarios,
                   .width = std::max(560, 120 * static_cast<int>(scenarios.size()) + 80)};
    for (size_t p = 0; p < policies.size(); ++p)
      chart.series.push_back({.name = policies[p], .colour = kColours[p % std::size(kColours)]});
    std::string rows;
    for (size_t i = 0; i < kpi["rows"].size(); ++i) {
      const json& row = kpi["rows"][i];
      BarSeries& series = chart.series[i % policies.size()];
      series.value.push_back(row["mean"].get<double>());
      series.low.push_back(row["low"].get<double>());
      series.high.push_back(row["high"].get<double>());
      rows += "<tr><td>" + esc(row["scenario"]) + "</td><td>" + esc(row["policy"]) +
              "</td><td class=\"number\">" + format(row["mean"].get<double>()) + " [" +
              format(row["low"].get<double>()) + ", " + format(row["high"].get<double>()) +
              "]</td><td class=\"number\">" +
              (i % policies.size() == 0 ? std::string("reference")
                                        : format(row["difference"].get<double>()) + " [" +
                                              format(row["difference_low"].get<double>()) + ", " +
                                              format(row["difference_high"].get<double>()) + "]") +
              "</td></tr>";
    }
    body += "<section class=\"card\"><h2>" + esc(kpi["name"]) +
            "</h2><figure class=\"twin-figure\">" + svg_bar_chart(chart) +
            "</figure><div class=\"table-scroll\"><table class=\"whatif\"><thead><tr><th>"
            "scenario</th><th>policy</th><th>mean [95% CI]</th><th>difference to " +
            viewer::html_escaped(policies.front()) + " [95% CI]</th></tr></thead><tbody>" + rows +
            "</tbody></table></div></section>";
  }
  const std::string title = report["scenarios_file"].get<std::string>().empty()
                                ? "Comparison: " + report["config"].get<std::string>()
                                : "What-if: " + report["scenarios_file"].get<std::string>();
  return twin_page(title, report["config"].get<std::string>(), body);
}

}  // namespace twinrl

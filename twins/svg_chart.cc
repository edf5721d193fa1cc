#include "twins/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "viewer/html_page.h"

namespace twinrl {
namespace {

// A tick step of 1, 2 or 5 times a power of ten giving about `count` ticks.
double tick_step(double span, int count) {
  if (span <= 0) return 1;
  const double raw = span / count;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double factor : {1.0, 2.0, 5.0})
    if (raw <= factor * power) return factor * power;
  return 10 * power;
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", std::fabs(value) < 1e-12 ? 0.0 : value);
  return text;
}

std::string coordinate(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

}  // namespace

std::string svg_line_chart(const LineChart& chart) {
  double x_min = std::numeric_limits<double>::infinity(), x_max = -x_min;
  double y_min = 0, y_max = -std::numeric_limits<double>::infinity();
  for (const ChartSeries& series : chart.series) {
    for (double x : series.x) x_min = std::min(x_min, x), x_max = std::max(x_max, x);
    for (double y : series.y) y_min = std::min(y_min, y), y_max = std::max(y_max, y);
  }
  if (!std::isfinite(x_min)) x_min = 0, x_max = 1;
  if (!std::isfinite(y_max) || y_max <= y_min) y_max = y_min + 1;
  if (x_max <= x_min) x_max = x_min + 1;
  const double y_step = tick_step(y_max - y_min, 5), x_step = tick_step(x_max - x_min, 6);
  y_max = std::ceil(y_max / y_step) * y_step;

  const double left = 56, right = 12, top = 48, bottom = 40;
  const double plot_width = chart.width - left - right, plot_height = chart.height - top - bottom;
  const auto px = [&](double x) { return left + (x - x_min) / (x_max - x_min) * plot_width; };
  const auto py = [&](double y) {
    return top + plot_height - (y - y_min) / (y_max - y_min) * plot_height;
  };

  std::string svg = "<svg class=\"twin-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    std::to_string(chart.width) + "\" height=\"" + std::to_string(chart.height) +
                    "\" viewBox=\"0 0 " + std::to_string(chart.width) + " " +
                    std::to_string(chart.height) + "\" role=\"img\"><title>" +
                    viewer::html_escaped(chart.title) + "</title>";
  svg += "<text x=\"" + coordinate(left) + "\" y=\"16\" class=\"chart-heading\">" +
         viewer::html_escaped(chart.title) + "</text>";
  for (double y = y_min; y <= y_max + 1e-9 * y_step; y += y_step) {
    svg += "<line class=\"grid\" x1=\"" + coordinate(left) + "\" x2=\"" +
           coordinate(left + plot_width) + "\" y1=\"" + coordinate(py(y)) + "\" y2=\"" +
           coordinate(py(y)) + "\"/><text class=\"tick\" text-anchor=\"end\" x=\"" +
           coordinate(left - 6) + "\" y=\"" + coordinate(py(y) + 4) + "\">" + number(y) + "</text>";
  }
  for (double x = std::ceil(x_min / x_step) * x_step; x <= x_max + 1e-9 * x_step; x += x_step)
    svg += "<text class=\"tick\" text-anchor=\"middle\" x=\"" + coordinate(px(x)) + "\" y=\"" +
           coordinate(top + plot_height + 16) + "\">" + number(x) + "</text>";
  svg += "<line class=\"axis\" x1=\"" + coordinate(left) + "\" x2=\"" +
         coordinate(left + plot_width) + "\" y1=\"" + coordinate(top + plot_height) + "\" y2=\"" +
         coordinate(top + plot_height) + "\"/>";
  svg += "<text class=\"tick\" text-anchor=\"middle\" x=\"" + coordinate(left + plot_width / 2) +
         "\" y=\"" + coordinate(chart.height - 4.0) + "\">" + viewer::html_escaped(chart.x_label) +
         "</text>";
  svg += "<text class=\"tick\" text-anchor=\"middle\" transform=\"translate(12," +
         coordinate(top + plot_height / 2) + ") rotate(-90)\">" +
         viewer::html_escaped(chart.y_label) + "</text>";

  double legend_x = left + plot_width;
  for (auto series = chart.series.rbegin(); series != chart.series.rend(); ++series) {
    std::string points;
    for (size_t i = 0; i < std::min(series->x.size(), series->y.size()); ++i)
      points += coordinate(px(series->x[i])) + "," + coordinate(py(series->y[i])) + " ";
    svg += "<polyline class=\"series\" fill=\"none\" stroke=\"" + series->colour +
           "\" stroke-width=\"1.6\"" +
           (series->dashed ? std::string(" stroke-dasharray=\"5 3\"") : std::string()) +
           " points=\"" + points + "\"><title>" + viewer::html_escaped(series->name) +
           "</title></polyline>";
    legend_x -= 8.0 + 7.0 * static_cast<double>(series->name.size()) + 18;
    svg += "<line x1=\"" + coordinate(legend_x) + "\" x2=\"" + coordinate(legend_x + 14) +
           "\" y1=\"32\" y2=\"32\" stroke=\"" + series->colour + "\" stroke-width=\"2\"" +
           (series->dashed ? std::string(" stroke-dasharray=\"5 3\"") : std::string()) +
           "/><text class=\"tick\" x=\"" + coordinate(legend_x + 18) + "\" y=\"36\">" +
           viewer::html_escaped(series->name) + "</text>";
  }
  return svg + "</svg>";
}

}  // namespace twinrl

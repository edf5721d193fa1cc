#pragma once
// A line chart as inline SVG, for reports that must open without scripts or
// a network: axes with round ticks, one polyline per series, a legend.
#include <string>
#include <vector>

namespace twinrl {

struct ChartSeries {
  std::string name;
  std::string colour = "";  // CSS colour
  std::vector<double> x = {}, y = {};
  bool dashed = false;
};

struct LineChart {
  std::string title, x_label, y_label;
  std::vector<ChartSeries> series = {};
  int width = 560, height = 300;
};

// The chart as an <svg> element (class "twin-chart"); texts are escaped.
std::string svg_line_chart(const LineChart& chart);

}  // namespace twinrl

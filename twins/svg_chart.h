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

// Grouped bars: one group per category, one bar per series in each, with an
// error bar from low to high.
struct BarSeries {
  std::string name;
  std::string colour;
  std::vector<double> value = {}, low = {}, high = {};  // one per category
};

struct BarChart {
  std::string title, y_label;
  std::vector<std::string> categories;
  std::vector<BarSeries> series = {};
  int width = 560, height = 300;
};

std::string svg_bar_chart(const BarChart& chart);

}  // namespace twinrl

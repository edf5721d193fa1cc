#include "twins/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
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

// The frame every chart shares: size, title, a plot area with horizontal
// grid lines and y ticks from y_min to y_max, the y label, and a legend
// filled from the right.
class ChartFrame {
 public:
  static constexpr double kLeft = 56, kRight = 12, kTop = 48;

  ChartFrame(int width, int height, double bottom, const std::string& title, double y_min,
             double y_max)
      : plot_width_(width - kLeft - kRight), plot_height_(height - kTop - bottom) {
    if (!std::isfinite(y_max) || y_max <= y_min) y_max = y_min + 1;
    const double step = tick_step(y_max - y_min, 5);
    y_min_ = std::floor(y_min / step) * step;
    y_max_ = std::ceil(y_max / step) * step;
    svg_ = "<svg class=\"twin-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
           std::to_string(width) + "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " +
           std::to_string(width) + " " + std::to_string(height) + "\" role=\"img\"><title>" +
           viewer::html_escaped(title) + "</title><text x=\"" + coordinate(kLeft) +
           "\" y=\"16\" class=\"chart-heading\">" + viewer::html_escaped(title) + "</text>";
    for (double y = y_min_; y <= y_max_ + 1e-9 * step; y += step)
      svg_ += "<line class=\"grid\" x1=\"" + coordinate(kLeft) + "\" x2=\"" +
              coordinate(kLeft + plot_width_) + "\" y1=\"" + coordinate(y_at(y)) + "\" y2=\"" +
              coordinate(y_at(y)) + "\"/><text class=\"tick\" text-anchor=\"end\" x=\"" +
              coordinate(kLeft - 6) + "\" y=\"" + coordinate(y_at(y) + 4) + "\">" + number(y) +
              "</text>";
    legend_x_ = kLeft + plot_width_;
  }

  double plot_width() const { return plot_width_; }
  double plot_bottom() const { return kTop + plot_height_; }
  double y_at(double y) const {
    return kTop + plot_height_ - (y - y_min_) / (y_max_ - y_min_) * plot_height_;
  }
  void add(const std::string& element) { svg_ += element; }
  void text(double x, double y, const std::string& words, const char* anchor = "middle") {
    svg_ += "<text class=\"tick\" text-anchor=\"" + std::string(anchor) + "\" x=\"" +
            coordinate(x) + "\" y=\"" + coordinate(y) + "\">" + viewer::html_escaped(words) +
            "</text>";
  }
  void y_label(const std::string& label) {
    svg_ += "<text class=\"tick\" text-anchor=\"middle\" transform=\"translate(12," +
            coordinate(kTop + plot_height_ / 2) + ") rotate(-90)\">" + viewer::html_escaped(label) +
            "</text>";
  }
  // A legend entry left of the previous ones; `swatch` draws its mark at x.
  void legend(const std::string& name, const std::function<std::string(double)>& swatch) {
    legend_x_ -= 8.0 + 7.0 * static_cast<double>(name.size()) + 18;
    svg_ += swatch(legend_x_);
    text(legend_x_ + 18, 36, name, "start");
  }
  std::string finish() const { return svg_ + "</svg>"; }

 private:
  double plot_width_, plot_height_;
  double y_min_ = 0, y_max_ = 1, legend_x_ = 0;
  std::string svg_;
};

std::string dash(bool dashed) {
  return dashed ? " stroke-dasharray=\"5 3\"" : "";
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
  if (x_max <= x_min) x_max = x_min + 1;
  ChartFrame frame(chart.width, chart.height, 40, chart.title, y_min, y_max);
  const auto px = [&](double x) {
    return ChartFrame::kLeft + (x - x_min) / (x_max - x_min) * frame.plot_width();
  };
  const double x_step = tick_step(x_max - x_min, 6);
  for (double x = std::ceil(x_min / x_step) * x_step; x <= x_max + 1e-9 * x_step; x += x_step)
    frame.text(px(x), frame.plot_bottom() + 16, number(x));
  frame.add("<line class=\"axis\" x1=\"" + coordinate(ChartFrame::kLeft) + "\" x2=\"" +
            coordinate(ChartFrame::kLeft + frame.plot_width()) + "\" y1=\"" +
            coordinate(frame.plot_bottom()) + "\" y2=\"" + coordinate(frame.plot_bottom()) +
            "\"/>");
  frame.text(ChartFrame::kLeft + frame.plot_width() / 2, chart.height - 4.0, chart.x_label);
  frame.y_label(chart.y_label);
  for (auto series = chart.series.rbegin(); series != chart.series.rend(); ++series) {
    std::string points;
    for (size_t i = 0; i < std::min(series->x.size(), series->y.size()); ++i)
      points += coordinate(px(series->x[i])) + "," + coordinate(frame.y_at(series->y[i])) + " ";
    frame.add("<polyline class=\"series\" fill=\"none\" stroke=\"" + series->colour +
              "\" stroke-width=\"1.6\"" + dash(series->dashed) + " points=\"" + points +
              "\"><title>" + viewer::html_escaped(series->name) + "</title></polyline>");
    frame.legend(series->name, [&](double x) {
      return "<line x1=\"" + coordinate(x) + "\" x2=\"" + coordinate(x + 14) +
             "\" y1=\"32\" y2=\"32\" stroke=\"" + series->colour + "\" stroke-width=\"2\"" +
             dash(series->dashed) + "/>";
    });
  }
  return frame.finish();
}

std::string svg_bar_chart(const BarChart& chart) {
  double y_min = 0, y_max = 0;
  for (const BarSeries& series : chart.series)
    for (size_t i = 0; i < series.value.size(); ++i) {
      y_min = std::min({y_min, series.value[i], series.low[i]});
      y_max = std::max({y_max, series.value[i], series.high[i]});
    }
  ChartFrame frame(chart.width, chart.height, 40, chart.title, y_min, y_max);
  frame.y_label(chart.y_label);
  const double group =
      frame.plot_width() / static_cast<double>(std::max<size_t>(1, chart.categories.size()));
  const double bar = 0.8 * group / static_cast<double>(std::max<size_t>(1, chart.series.size()));
  for (size_t c = 0; c < chart.categories.size(); ++c) {
    const double start = ChartFrame::kLeft + group * static_cast<double>(c) + 0.1 * group;
    frame.text(ChartFrame::kLeft + group * (static_cast<double>(c) + 0.5), frame.plot_bottom() + 16,
               chart.categories[c]);
    for (size_t s = 0; s < chart.series.size(); ++s) {
      const BarSeries& series = chart.series[s];
      const double x = start + bar * static_cast<double>(s), middle = x + bar / 2;
      const double zero = frame.y_at(0), top = frame.y_at(series.value[c]);
      frame.add("<rect class=\"bar\" x=\"" + coordinate(x + 1) + "\" y=\"" +
                coordinate(std::min(zero, top)) + "\" width=\"" + coordinate(bar - 2) +
                "\" height=\"" + coordinate(std::fabs(zero - top)) + "\" fill=\"" + series.colour +
                "\"><title>" + viewer::html_escaped(series.name) + ": " + number(series.value[c]) +
                "</title></rect><line class=\"axis\" x1=\"" + coordinate(middle) + "\" x2=\"" +
                coordinate(middle) + "\" y1=\"" + coordinate(frame.y_at(series.low[c])) +
                "\" y2=\"" + coordinate(frame.y_at(series.high[c])) + "\"/>");
    }
  }
  for (auto series = chart.series.rbegin(); series != chart.series.rend(); ++series)
    frame.legend(series->name, [&](double x) {
      return "<rect x=\"" + coordinate(x) + "\" y=\"27\" width=\"12\" height=\"10\" fill=\"" +
             series->colour + "\"/>";
    });
  return frame.finish();
}

}  // namespace twinrl

#include "viewer/rasterizer.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace twinrl::viewer {
namespace {

struct Point {
  double x, y;
};

// Paints one shape at a time into a frame. A pixel is covered when its centre
// is; each pixel is blended at most once per shape (a stamp per pixel), so
// overlapping pieces of a translucent stroke (segments, joins) do not darken.
class Canvas {
 public:
  explicit Canvas(RgbFrame& frame)
      : frame_(frame), stamps_(static_cast<size_t>(frame.width) * frame.height, 0) {}

  int width() const { return frame_.width; }
  int height() const { return frame_.height; }

  // Starts a shape painted in `color`.
  void begin(Color color) {
    color_ = color;
    ++shape_;
  }

  // Covers row `y`'s pixels whose centres lie in [x0, x1).
  void span(int y, double x0, double x1) {
    if (y < 0 || y >= frame_.height) return;
    const int first = std::max(0, static_cast<int>(std::ceil(x0 - 0.5)));
    const int last = std::min(frame_.width, static_cast<int>(std::ceil(x1 - 0.5)));
    for (int x = first; x < last; ++x) plot(x, y);
  }

  // The rows whose centres lie in [y0, y1], clipped to the frame.
  std::pair<int, int> rows(double y0, double y1) const {
    return {std::max(0, static_cast<int>(std::ceil(y0 - 0.5))),
            std::min(frame_.height - 1, static_cast<int>(std::floor(y1 - 0.5)))};
  }

 private:
  void plot(int x, int y) {
    const size_t index = static_cast<size_t>(y) * frame_.width + x;
    if (stamps_[index] == shape_) return;
    stamps_[index] = shape_;
    uint8_t* pixel = frame_.pixels.data() + 3 * index;
    const int alpha = color_.a;
    for (int channel = 0; channel < 3; ++channel) {
      const int source = channel == 0 ? color_.r : channel == 1 ? color_.g : color_.b;
      pixel[channel] =
          static_cast<uint8_t>((source * alpha + pixel[channel] * (255 - alpha) + 127) / 255);
    }
  }

  RgbFrame& frame_;
  std::vector<uint32_t> stamps_;
  uint32_t shape_ = 0;
  Color color_;
};

// Even-odd scanline fill of a closed polygon in pixel coordinates.
void fill_polygon(Canvas& canvas, const std::vector<Point>& polygon) {
  double top = polygon[0].y, bottom = polygon[0].y;
  for (const Point& p : polygon) {
    top = std::min(top, p.y);
    bottom = std::max(bottom, p.y);
  }
  const auto [first_row, last_row] = canvas.rows(top, bottom);
  std::vector<double> crossings;
  for (int row = first_row; row <= last_row; ++row) {
    const double y = row + 0.5;
    crossings.clear();
    for (size_t i = 0; i < polygon.size(); ++i) {
      const Point& a = polygon[i];
      const Point& b = polygon[(i + 1) % polygon.size()];
      // Half-open in y, so a vertex on the scanline counts once.
      if ((a.y <= y) != (b.y <= y))
        crossings.push_back(a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x));
    }
    std::sort(crossings.begin(), crossings.end());
    for (size_t i = 0; i + 1 < crossings.size(); i += 2)
      canvas.span(row, crossings[i], crossings[i + 1]);
  }
}

// An axis-aligned ellipse; with `hole` radii > 0, only the ring outside them.
void fill_ellipse(Canvas& canvas, Point centre, double rx, double ry, double hole_rx = 0,
                  double hole_ry = 0) {
  const auto [first_row, last_row] = canvas.rows(centre.y - ry, centre.y + ry);
  for (int row = first_row; row <= last_row; ++row) {
    const double dy = row + 0.5 - centre.y;
    const double outer = rx * std::sqrt(std::max(0.0, 1 - (dy * dy) / (ry * ry)));
    const bool in_hole = hole_rx > 0 && hole_ry > 0 && std::abs(dy) < hole_ry;
    if (!in_hole) {
      canvas.span(row, centre.x - outer, centre.x + outer);
      continue;
    }
    const double inner = hole_rx * std::sqrt(1 - (dy * dy) / (hole_ry * hole_ry));
    canvas.span(row, centre.x - outer, centre.x - inner);
    canvas.span(row, centre.x + inner, centre.x + outer);
  }
}

// A line of `half_width` pixels either side through `points`, round at the
// joints and ends (as a canvas with round joins would draw it).
void stroke_line(Canvas& canvas, const std::vector<Point>& points, bool closed, double half_width) {
  const size_t segments = closed ? points.size() : points.size() - 1;
  for (size_t i = 0; i < segments; ++i) {
    const Point& a = points[i];
    const Point& b = points[(i + 1) % points.size()];
    const double length = std::hypot(b.x - a.x, b.y - a.y);
    if (length > 0) {
      const double nx = -(b.y - a.y) / length * half_width;
      const double ny = (b.x - a.x) / length * half_width;
      fill_polygon(
          canvas,
          {{a.x + nx, a.y + ny}, {b.x + nx, b.y + ny}, {b.x - nx, b.y - ny}, {a.x - nx, a.y - ny}});
    }
  }
  for (const Point& p : points) fill_ellipse(canvas, p, half_width, half_width);
}

// World units to pixels: bounds onto the whole frame, y flipped when y is up.
class Projection {
 public:
  Projection(const Bounds& bounds, int width, int height)
      : bounds_(bounds),
        scale_x_(width / (bounds.x_max - bounds.x_min)),
        scale_y_(height / (bounds.y_max - bounds.y_min)) {}

  Point operator()(float x, float y) const {
    return {(x - bounds_.x_min) * scale_x_,
            bounds_.y_up ? (bounds_.y_max - y) * scale_y_ : (y - bounds_.y_min) * scale_y_};
  }
  std::vector<Point> points(const std::vector<float>& xy) const {
    std::vector<Point> out;
    out.reserve(xy.size() / 2);
    for (size_t i = 0; i + 1 < xy.size(); i += 2) out.push_back((*this)(xy[i], xy[i + 1]));
    return out;
  }
  double scale_x() const { return scale_x_; }
  double scale_y() const { return scale_y_; }
  // Half a line width in pixels, at least half a pixel so that thin lines show.
  double half_width(float line_width) const {
    return std::max(0.5, 0.25 * line_width * (scale_x_ + scale_y_));
  }

 private:
  Bounds bounds_;
  double scale_x_, scale_y_;
};

void draw_shape(Canvas& canvas, const Projection& project, const Shape& shape) {
  const std::vector<float>& p = shape.points;
  std::vector<Point> outline;
  switch (shape.kind) {
    case ShapeKind::rect:
      outline = project.points(
          {p[0], p[1], p[0] + p[2], p[1], p[0] + p[2], p[1] + p[3], p[0], p[1] + p[3]});
      break;
    case ShapeKind::polygon:
    case ShapeKind::polyline:
      outline = project.points(p);
      break;
    case ShapeKind::circle: {
      const Point centre = project(p[0], p[1]);
      const double rx = std::max(0.5, p[2] * project.scale_x());
      const double ry = std::max(0.5, p[2] * project.scale_y());
      if (shape.fill.visible()) {
        canvas.begin(shape.fill);
        fill_ellipse(canvas, centre, rx, ry);
      }
      if (shape.stroke.visible()) {
        const double half = project.half_width(shape.line_width);
        canvas.begin(shape.stroke);
        fill_ellipse(canvas, centre, rx + half, ry + half, rx - half, ry - half);
      }
      return;
    }
    case ShapeKind::text:
    case ShapeKind::image:
      return;
  }
  const bool closed = shape.kind != ShapeKind::polyline;
  if (closed && shape.fill.visible()) {
    canvas.begin(shape.fill);
    fill_polygon(canvas, outline);
  }
  if (shape.stroke.visible()) {
    canvas.begin(shape.stroke);
    stroke_line(canvas, outline, closed, project.half_width(shape.line_width));
  }
}

}  // namespace

int frame_height(const Bounds& bounds, int width) {
  const double span_x = bounds.x_max - bounds.x_min;
  const double span_y = bounds.y_max - bounds.y_min;
  if (!(span_x > 0 && span_y > 0))
    throw std::invalid_argument("drawing bounds must have a positive width and height");
  const long height = 2 * std::lround(width * span_y / span_x / 2);
  return static_cast<int>(std::max(2L, height));
}

void rasterize(const Drawing& drawing, const Bounds& bounds, RgbFrame& frame) {
  if (frame.pixels.size() != static_cast<size_t>(frame.width) * frame.height * 3)
    throw std::invalid_argument("rasterize: the frame's pixels do not match its size");
  Canvas canvas(frame);
  if (drawing.background().visible()) {
    canvas.begin(drawing.background());
    for (int row = 0; row < frame.height; ++row) canvas.span(row, 0, frame.width);
  }
  const Projection project(bounds, frame.width, frame.height);
  for (const Shape& shape : drawing.shapes()) draw_shape(canvas, project, shape);
}

}  // namespace twinrl::viewer

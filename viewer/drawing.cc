#include "viewer/drawing.h"

#include <cstdio>
#include <stdexcept>

namespace twinrl::viewer {

std::string Color::css() const {
  if (!visible()) return "";
  char text[10];
  if (a == 255)
    std::snprintf(text, sizeof text, "#%02x%02x%02x", r, g, b);
  else
    std::snprintf(text, sizeof text, "#%02x%02x%02x%02x", r, g, b, a);
  return text;
}

void Drawing::rect(float x, float y, float width, float height, Color fill, Color stroke,
                   float line_width) {
  shapes_.push_back({.kind = ShapeKind::rect,
                     .points = {x, y, width, height},
                     .fill = fill,
                     .stroke = stroke,
                     .line_width = line_width});
}

void Drawing::circle(float x, float y, float radius, Color fill, Color stroke, float line_width) {
  shapes_.push_back({.kind = ShapeKind::circle,
                     .points = {x, y, radius},
                     .fill = fill,
                     .stroke = stroke,
                     .line_width = line_width});
}

void Drawing::polygon(std::vector<float> points, Color fill, Color stroke, float line_width) {
  if (points.size() < 6 || points.size() % 2 != 0)
    throw std::invalid_argument("a polygon needs at least three x, y points");
  shapes_.push_back({.kind = ShapeKind::polygon,
                     .points = std::move(points),
                     .fill = fill,
                     .stroke = stroke,
                     .line_width = line_width});
}

void Drawing::polyline(std::vector<float> points, Color stroke, float line_width) {
  if (points.size() < 4 || points.size() % 2 != 0)
    throw std::invalid_argument("a polyline needs at least two x, y points");
  shapes_.push_back({.kind = ShapeKind::polyline,
                     .points = std::move(points),
                     .stroke = stroke,
                     .line_width = line_width});
}

void Drawing::text(float x, float y, std::string text, float font_size, Color color) {
  shapes_.push_back({.kind = ShapeKind::text,
                     .points = {x, y},
                     .fill = color,
                     .font_size = font_size,
                     .text = std::move(text)});
}

void Drawing::image(float x, float y, float width, float height, std::string data_url) {
  shapes_.push_back(
      {.kind = ShapeKind::image, .points = {x, y, width, height}, .text = std::move(data_url)});
}

namespace {

const char* kind_name(ShapeKind kind) {
  switch (kind) {
    case ShapeKind::rect:
      return "rect";
    case ShapeKind::circle:
      return "circle";
    case ShapeKind::polygon:
      return "polygon";
    case ShapeKind::polyline:
      return "polyline";
    case ShapeKind::text:
      return "text";
    case ShapeKind::image:
      return "image";
  }
  return "";
}

// [kind, points..., fill, stroke, line_width] for rect and circle;
// [kind, [points], fill, stroke, line_width] for polygon and polyline;
// [text, x, y, font_size, color, string]; [image, x, y, w, h, data_url].
nlohmann::json shape_json(const Shape& shape) {
  nlohmann::json json = nlohmann::json::array({kind_name(shape.kind)});
  switch (shape.kind) {
    case ShapeKind::rect:
    case ShapeKind::circle:
      for (float value : shape.points) json.push_back(value);
      json.push_back(shape.fill.css());
      json.push_back(shape.stroke.css());
      json.push_back(shape.line_width);
      break;
    case ShapeKind::polygon:
    case ShapeKind::polyline:
      json.push_back(shape.points);
      json.push_back(shape.fill.css());
      json.push_back(shape.stroke.css());
      json.push_back(shape.line_width);
      break;
    case ShapeKind::text:
      json.push_back(shape.points[0]);
      json.push_back(shape.points[1]);
      json.push_back(shape.font_size);
      json.push_back(shape.fill.css());
      json.push_back(shape.text);
      break;
    case ShapeKind::image:
      for (float value : shape.points) json.push_back(value);
      json.push_back(shape.text);
      break;
  }
  return json;
}

}  // namespace

nlohmann::json Drawing::to_json() const {
  nlohmann::json shapes = nlohmann::json::array();
  for (const Shape& shape : shapes_) shapes.push_back(shape_json(shape));
  return {{"bounds", {bounds_.x_min, bounds_.y_min, bounds_.x_max, bounds_.y_max}},
          {"y_up", bounds_.y_up},
          {"background", background_.css()},
          {"shapes", std::move(shapes)}};
}

}  // namespace twinrl::viewer

#pragma once
// A picture in world units: the shapes a viewer draws for one step of an
// episode. The HTML player draws them on a canvas and the video rasterizer
// into RGB frames, so each env's look is written once (viewer/drawers/).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace twinrl::viewer {

struct Color {
  uint8_t r = 0, g = 0, b = 0, a = 0;  // a == 0: not drawn

  static constexpr Color rgb(uint8_t r, uint8_t g, uint8_t b, uint8_t a = 255) {
    return {r, g, b, a};
  }
  static constexpr Color none() { return {}; }
  bool visible() const { return a > 0; }
  // "#rrggbb", "#rrggbbaa" when translucent, "" when not drawn.
  std::string css() const;
};

enum class ShapeKind { rect, circle, polygon, polyline, text, image };

struct Shape {
  ShapeKind kind = ShapeKind::rect;
  // rect: x, y, width, height (x, y the corner of least coordinates);
  // circle: centre x, y and radius; polygon and polyline: x0, y0, x1, y1, ...;
  // text: x, y of the start of the baseline; image: as rect.
  std::vector<float> points{};
  Color fill{};
  Color stroke{};
  float line_width = 0;  // world units
  float font_size = 0;   // text: world units
  std::string text{};    // text: the string; image: a data URL (PNG or JPEG)
};

// The visible region, in world units, and which way y points on screen.
struct Bounds {
  float x_min = 0, y_min = 0, x_max = 1, y_max = 1;
  bool y_up = true;  // true: y grows upwards (physics); false: downwards (grid rows)
};

class Drawing {
 public:
  Drawing() = default;
  explicit Drawing(Bounds bounds, Color background = Color::none())
      : bounds_(bounds), background_(background) {}

  const Bounds& bounds() const { return bounds_; }
  Color background() const { return background_; }
  const std::vector<Shape>& shapes() const { return shapes_; }

  void rect(float x, float y, float width, float height, Color fill, Color stroke = Color::none(),
            float line_width = 0);
  void circle(float x, float y, float radius, Color fill, Color stroke = Color::none(),
              float line_width = 0);
  // A closed polygon through points x0, y0, x1, y1, ...
  void polygon(std::vector<float> points, Color fill, Color stroke = Color::none(),
               float line_width = 0);
  // An open line through points x0, y0, x1, y1, ...
  void polyline(std::vector<float> points, Color stroke, float line_width);
  // Text is drawn by the HTML player only; videos leave it out.
  void text(float x, float y, std::string text, float font_size, Color color);
  // A picture (a data URL) stretched over the rect; the HTML player only.
  void image(float x, float y, float width, float height, std::string data_url);

  // {"bounds": [x_min, y_min, x_max, y_max], "y_up": bool, "background": css,
  //  "shapes": [[kind, ...numbers, ...styles], ...]}: see viewer/README.md.
  nlohmann::json to_json() const;

 private:
  Bounds bounds_;
  Color background_;
  std::vector<Shape> shapes_;
};

}  // namespace twinrl::viewer

#pragma once
// The shapes of a drawing by kind, for the drawers' tests.
#include <algorithm>
#include <vector>

#include "viewer/drawing.h"

namespace twinrl::test_support {

inline std::vector<const viewer::Shape*> shapes_of(const viewer::Drawing& drawing,
                                                   viewer::ShapeKind kind) {
  std::vector<const viewer::Shape*> shapes;
  for (const viewer::Shape& shape : drawing.shapes())
    if (shape.kind == kind) shapes.push_back(&shape);
  return shapes;
}

// Those of `kind` filled with `fill`.
inline std::vector<const viewer::Shape*> shapes_of(const viewer::Drawing& drawing,
                                                   viewer::ShapeKind kind, viewer::Color fill) {
  std::vector<const viewer::Shape*> shapes = shapes_of(drawing, kind);
  std::erase_if(shapes,
                [&](const viewer::Shape* shape) { return shape->fill.css() != fill.css(); });
  return shapes;
}

}  // namespace twinrl::test_support

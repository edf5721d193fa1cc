#pragma once
// A software rasterizer of Drawings into RGB frames, for videos of 2D scenes
// (no display, no browser). Text and images are left out.
#include "viewer/drawers/scene_drawer.h"
#include "viewer/drawing.h"

namespace twinrl::viewer {

// The frame height for `width` pixels that keeps the bounds' aspect, even
// (video encoders need even sizes).
int frame_height(const Bounds& bounds, int width);

// Draws `drawing`'s shapes (and its background colour, if visible) into
// `frame`, which has its size already; `bounds` map onto the whole frame.
void rasterize(const Drawing& drawing, const Bounds& bounds, RgbFrame& frame);

}  // namespace twinrl::viewer

#pragma once
// The vocabulary of the warehouse grid: what a cell is, where a robot faces,
// what it can do. Cells are numbered row-major, y growing downwards.
#include <cstdint>

namespace twinrl::warehouse {

enum class CellKind : uint8_t { kAisle, kShelf, kPickStation, kWall, kCharger };

// Clockwise, so that turning right adds one and turning left subtracts one.
enum class Heading : uint8_t { kUp, kRight, kDown, kLeft };
inline constexpr int kNumHeadings = 4;

inline constexpr Heading turned_right(Heading heading) {
  return static_cast<Heading>((static_cast<int>(heading) + 1) % kNumHeadings);
}
inline constexpr Heading turned_left(Heading heading) {
  return static_cast<Heading>((static_cast<int>(heading) + kNumHeadings - 1) % kNumHeadings);
}

// The discrete action of one robot.
enum Action : int64_t { kNoop, kForward, kTurnLeft, kTurnRight, kToggleLoad, kNumActions };

inline constexpr int kNone = -1;  // no robot, shelf or cell

// The size of a row-major grid and the arithmetic of its cell numbers.
class GridShape {
 public:
  GridShape() = default;
  GridShape(int width, int height) : width_(width), height_(height) {}

  int width() const { return width_; }
  int height() const { return height_; }
  int num_cells() const { return width_ * height_; }
  int x(int cell) const { return cell % width_; }
  int y(int cell) const { return cell / width_; }
  int cell(int x, int y) const { return y * width_ + x; }
  bool inside(int x, int y) const { return x >= 0 && x < width_ && y >= 0 && y < height_; }

 protected:
  int width_ = 0;
  int height_ = 0;
};

}  // namespace twinrl::warehouse

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

}  // namespace twinrl::warehouse

#pragma once
// What a warehouse's own systems log while it runs, as the env reports it to
// an observer (the twins' log writer): orders received, forward moves and
// their outcome, picks at the stations. Times are the env's clock: seconds
// since midnight of the episode's first day (start_time_s at reset). Without
// an observer the env reports nothing.
#include <cstdint>

namespace twinrl::warehouse {

enum class MoveOutcome : uint8_t { kMoved, kFailed, kBlocked };

class WarehouseEventObserver {
 public:
  virtual ~WarehouseEventObserver() = default;
  // An order received during the step from `from_s` to `to_s`; it requests
  // `shelf` at once, or kNone when every request slot was taken (it waits in
  // the backlog, or is dropped when that is full).
  virtual void order_received(double from_s, double to_s, int shelf) = 0;
  // A forward move that the floor allowed (no wall ahead, nor a standing
  // shelf ahead of a loaded robot): made into `cell`, failed (the robot
  // slipped and stayed in `cell`), or blocked by another robot.
  virtual void forward_move(double time_s, int robot, int cell, MoveOutcome outcome) = 0;
  // `robot` brought the requested `shelf` onto the pick station `cell` at
  // `time_s`; the pick ends at `end_s`, and the robot waits there until then.
  virtual void pick(double time_s, int robot, int cell, int shelf, double end_s) = 0;
};

}  // namespace twinrl::warehouse

#pragma once
// A warehouse's logs as its systems keep them (twins/README.md, "Warehouse
// logs"): orders with the time they arrived, robot events (forward moves and
// their outcome, picks starting and ending at a pick station), and the shifts
// during which the facility ran and logged. Times are seconds since midnight
// of the first logged day. Read from CSV files with located errors, and
// written in the same format by `twin synth`.
#include <filesystem>
#include <string>
#include <vector>

#include "config/config_node.h"
#include "config/schema.h"

namespace twinrl {

namespace warehouse {
class WarehouseModel;
}

struct OrderArrival {
  double time_s = 0;
  int shelf = -1;  // the requested shelf, or -1 when the log does not say
};

enum class RobotEventKind { kMove, kFailedMove, kBlockedMove, kPickStart, kPickEnd };
// "move", "failed_move", "blocked_move", "pick_start", "pick_end".
const char* robot_event_name(RobotEventKind kind);

struct RobotEvent {
  double time_s = 0;
  int robot = 0;
  RobotEventKind kind = RobotEventKind::kMove;
  int x = 0, y = 0;  // the robot's cell after the event (column, row from the top)
  int shelf = -1;    // picks: the shelf picked; -1 for moves
};

// An interval the facility ran and logged (orders outside every shift are errors).
struct Shift {
  double start_s = 0, end_s = 0;
};

struct WarehouseLogs {
  std::vector<OrderArrival> orders;
  std::vector<RobotEvent> robot_events;
  std::vector<Shift> shifts;
};

// Hours the shifts cover in each of `count` slots of `slot_s` seconds that
// repeat from the first midnight (time t is in slot floor(t / slot_s) mod count).
std::vector<double> shift_hours_per_slot(const std::vector<Shift>& shifts, double slot_s,
                                         size_t count);

// Whether times, asked in increasing order, fall within sorted shifts.
class ShiftWalk {
 public:
  explicit ShiftWalk(const std::vector<Shift>& shifts) : shifts_(shifts) {}
  bool covers(double time_s) {
    while (next_ < shifts_.size() && shifts_[next_].end_s < time_s) ++next_;
    return next_ < shifts_.size() && shifts_[next_].start_s <= time_s;
  }

 private:
  const std::vector<Shift>& shifts_;
  size_t next_ = 0;
};

// The pick durations in the logs, in order: each pick_end's time less its
// pick_start's (a pick still open at the end has none).
std::vector<double> pick_durations(const WarehouseLogs& logs);

// Where each log is and what its columns are called (the `twin.logs` section).
struct WarehouseLogFiles {
  struct Orders {
    std::string file = "orders.csv";
    std::string time = "time_s", shelf = "shelf";
    template <class Visitor>
    void visit(Visitor& v) {
      v("file", file, {.doc = "CSV, relative to the logs directory"});
      v("time", time, {.doc = "column: seconds since midnight of the first logged day"});
      v("shelf", shelf, {.doc = "column: the requested shelf's index, or empty"});
    }
  } orders;
  struct RobotEvents {
    std::string file = "robot_events.csv";
    std::string time = "time_s", robot = "robot", event = "event", x = "x", y = "y",
                shelf = "shelf";
    template <class Visitor>
    void visit(Visitor& v) {
      v("file", file, {.doc = "CSV, relative to the logs directory"});
      v("time", time, {.doc = "column: seconds since midnight of the first logged day"});
      v("robot", robot, {.doc = "column: robot index, from 0"});
      v("event", event, {.doc = "column: move, failed_move, blocked_move, pick_start or pick_end"});
      v("x", x, {.doc = "column: the robot's map column after the event, from 0"});
      v("y", y, {.doc = "column: the robot's map row after the event, from 0 at the top"});
      v("shelf", shelf, {.doc = "column: the shelf picked (picks), or empty"});
    }
  } robot_events;
  struct Shifts {
    std::string file = "shifts.csv";
    std::string start = "start_s", end = "end_s";
    template <class Visitor>
    void visit(Visitor& v) {
      v("file", file, {.doc = "CSV, relative to the logs directory"});
      v("start", start, {.doc = "column: when the facility started logging (s)"});
      v("end", end, {.doc = "column: when it stopped (s)"});
    }
  } shifts;

  template <class Visitor>
  void visit(Visitor& v) {
    v("orders", orders);
    v("robot_events", robot_events);
    v("shifts", shifts);
  }
};

// Reads the three logs from `directory`, checked against the model: shifts
// in order without overlaps, each ending after it starts; orders and robot
// events sorted by time and within a shift; robots, shelves and cells of the
// twin, picks at its pick stations, every pick_end after a pick_start of the
// same robot and shelf, no event twice. A CsvError names the file, row and
// column otherwise.
WarehouseLogs read_warehouse_logs(const std::filesystem::path& directory,
                                  const WarehouseLogFiles& files,
                                  const warehouse::WarehouseModel& model);

// Writes the logs in the default column names, atomically per file.
void write_warehouse_logs(const std::filesystem::path& directory, const WarehouseLogs& logs);

}  // namespace twinrl

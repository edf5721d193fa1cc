#include "twins/warehouse_logs.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <optional>

#include "config/closest_match.h"
#include "config/csv_table.h"
#include "envs/warehouse/warehouse_env.h"
#include "rundir/atomic_file.h"

namespace twinrl {
namespace {

// Times beyond ten years of logs are a mistake (milliseconds for seconds, an
// epoch timestamp), and would make the per-slot and per-hour sums and the
// replays of the shifts run for ever.
constexpr double kLatestTime_s = 10 * 365 * 86400.0;

// A time in seconds since the log's first midnight, or a located error.
double log_time(const CsvTable& table, size_t row, size_t column) {
  const double time = table.number(row, column);
  if (time < 0) table.fail(row, column, "is negative; times are seconds since midnight");
  if (time > kLatestTime_s)
    table.fail(row, column,
               "is more than ten years (315360000 s) after the first logged midnight; times are "
               "seconds since then (not milliseconds, not epoch timestamps)");
  return time;
}

constexpr std::array kEventNames = {"move", "failed_move", "blocked_move", "pick_start",
                                    "pick_end"};

// Times must not go backwards: an unsorted export is a mistake, not something to guess around.
class TimeOrder {
 public:
  TimeOrder(const CsvTable& table, size_t column) : table_(table), column_(column) {}
  double read(size_t row) {
    const double time = log_time(table_, row, column_);
    if (time < last_)
      table_.fail(row, column_,
                  "comes before the time of the row above (rows must be sorted by time)");
    last_ = time;
    return time;
  }

 private:
  const CsvTable& table_;
  size_t column_;
  double last_ = 0;
};

// Checks that sorted times fall within the shifts.
class ShiftCover {
 public:
  ShiftCover(const std::vector<Shift>& shifts, const std::string& shifts_path)
      : walk_(shifts), shifts_path_(shifts_path) {}
  void check(const CsvTable& table, size_t row, size_t column, double time) {
    if (!walk_.covers(time))
      table.fail(row, column,
                 "is outside every shift in " + shifts_path_ +
                     ": the shifts say when the facility logged, so rates can be measured");
  }

 private:
  ShiftWalk walk_;
  std::string shifts_path_;
};

// An index in [0, size) from a cell, naming what it indexes in the error.
int index_cell(const CsvTable& table, size_t row, size_t column, int size,
               const std::string& what) {
  const int64_t value = table.count(row, column);
  if (value >= size)
    table.fail(row, column,
               "is not " + what + " of the twin (0 to " + std::to_string(size - 1) + ")");
  return static_cast<int>(value);
}

// An optional shelf index: empty when the log does not name one.
int optional_shelf(const CsvTable& table, size_t row, size_t column, int shelves) {
  if (table.cell(row, column).empty()) return -1;
  return index_cell(table, row, column, shelves, "a shelf");
}

std::vector<Shift> read_shifts(const CsvTable& table, const WarehouseLogFiles::Shifts& names) {
  const size_t start = table.column(names.start), end = table.column(names.end);
  std::vector<Shift> shifts;
  for (size_t row = 0; row < table.rows(); ++row) {
    const Shift shift{log_time(table, row, start), log_time(table, row, end)};
    if (shift.end_s <= shift.start_s)
      table.fail(row, end, "is not after the shift's start: a shift needs a positive duration");
    if (!shifts.empty() && shift.start_s < shifts.back().end_s)
      table.fail(row, start,
                 "is before the end of the shift above: shifts must be sorted and not overlap");
    shifts.push_back(shift);
  }
  return shifts;
}

void append_number(std::string& out, double value, int decimals) {
  char buffer[64];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals);
  out.append(buffer, result.ptr);
}

void append_index(std::string& out, int value) {
  if (value >= 0) out += std::to_string(value);
}

}  // namespace

const char* robot_event_name(RobotEventKind kind) {
  return kEventNames[static_cast<size_t>(kind)];
}

std::vector<double> shift_hours_per_slot(const std::vector<Shift>& shifts, double slot_s,
                                         size_t count) {
  std::vector<double> hours(count);
  for (const Shift& shift : shifts)
    for (double t = shift.start_s; t < shift.end_s;) {
      const double slot_end = (std::floor(t / slot_s) + 1) * slot_s;
      hours[static_cast<size_t>(std::floor(t / slot_s)) % count] +=
          (std::min(shift.end_s, slot_end) - t) / 3600;
      t = slot_end;
    }
  return hours;
}

std::vector<double> pick_durations(const WarehouseLogs& logs) {
  std::vector<double> durations, started;
  for (const RobotEvent& event : logs.robot_events) {
    if (static_cast<size_t>(event.robot) >= started.size()) started.resize(event.robot + 1, 0);
    if (event.kind == RobotEventKind::kPickStart) started[event.robot] = event.time_s;
    if (event.kind == RobotEventKind::kPickEnd)
      durations.push_back(event.time_s - started[event.robot]);
  }
  return durations;
}

WarehouseLogs read_warehouse_logs(const std::filesystem::path& directory,
                                  const WarehouseLogFiles& files,
                                  const warehouse::WarehouseModel& model) {
  const warehouse::Layout& layout = model.layout();
  const int shelves = static_cast<int>(layout.shelf_cells().size());
  WarehouseLogs logs;

  const CsvTable shift_table = CsvTable::read(directory / files.shifts.file);
  logs.shifts = read_shifts(shift_table, files.shifts);

  const CsvTable orders = CsvTable::read(directory / files.orders.file);
  {
    const size_t time = orders.column(files.orders.time), shelf = orders.column(files.orders.shelf);
    TimeOrder order(orders, time);
    ShiftCover cover(logs.shifts, shift_table.path());
    logs.orders.reserve(orders.rows());
    for (size_t row = 0; row < orders.rows(); ++row) {
      const double at = order.read(row);
      cover.check(orders, row, time, at);
      logs.orders.push_back({at, optional_shelf(orders, row, shelf, shelves)});
    }
  }

  const CsvTable events = CsvTable::read(directory / files.robot_events.file);
  const auto& names = files.robot_events;
  const size_t time = events.column(names.time), robot_column = events.column(names.robot),
               event_column = events.column(names.event), x_column = events.column(names.x),
               y_column = events.column(names.y), shelf_column = events.column(names.shelf);
  TimeOrder order(events, time);
  ShiftCover cover(logs.shifts, shift_table.path());
  const int robots = model.params().num_robots;
  // Per robot: its last event (to catch one logged twice) and its open pick's row.
  std::vector<std::optional<size_t>> last_event(robots), open_pick(robots);
  logs.robot_events.reserve(events.rows());
  for (size_t row = 0; row < events.rows(); ++row) {
    RobotEvent event;
    event.time_s = order.read(row);
    cover.check(events, row, time, event.time_s);
    event.robot = index_cell(events, row, robot_column, robots, "a robot");
    const std::string_view name = events.cell(row, event_column);
    const auto known = std::ranges::find(kEventNames, name);
    if (known == kEventNames.end()) {
      std::string message =
          "is not an event (move, failed_move, blocked_move, pick_start, "
          "pick_end)";
      if (const auto close =
              closest_match(name, std::vector<std::string>(kEventNames.begin(), kEventNames.end())))
        message += "; did you mean '" + *close + "'?";
      events.fail(row, event_column, message);
    }
    event.kind = static_cast<RobotEventKind>(known - kEventNames.begin());
    event.x = index_cell(events, row, x_column, layout.width(), "a map column");
    event.y = index_cell(events, row, y_column, layout.height(), "a map row");
    const int cell = layout.cell(event.x, event.y);
    if (layout.kind(cell) == warehouse::CellKind::kWall)
      events.fail(
          row, y_column,
          "puts the robot into a wall of the twin's map (column " + std::to_string(event.x) + ")");

    std::optional<size_t>& last = last_event[event.robot];
    if (last && logs.robot_events[*last].time_s == event.time_s &&
        logs.robot_events[*last].kind == event.kind)
      events.fail_row(row, "repeats the event of row " + std::to_string(events.file_row(*last)) +
                               " for the same robot at the same time (logged twice?)");
    last = logs.robot_events.size();

    const bool is_pick =
        event.kind == RobotEventKind::kPickStart || event.kind == RobotEventKind::kPickEnd;
    if (is_pick) {
      if (layout.kind(cell) != warehouse::CellKind::kPickStation)
        events.fail(row, x_column,
                    "is not at a pick station of the twin's map (the cell is column " +
                        std::to_string(event.x) + ", row " + std::to_string(event.y) + ")");
      if (events.cell(row, shelf_column).empty())
        events.fail(row, shelf_column, "is empty; a pick names the shelf picked");
      event.shelf = optional_shelf(events, row, shelf_column, shelves);
    }
    std::optional<size_t>& open = open_pick[event.robot];
    if (event.kind == RobotEventKind::kPickStart) {
      if (open)
        events.fail_row(row, "starts a pick while the robot's pick of row " +
                                 std::to_string(events.file_row(*open)) + " has not ended");
      open = row;
    } else if (event.kind == RobotEventKind::kPickEnd) {
      if (!open) events.fail_row(row, "ends a pick that the robot never started");
      const RobotEvent& start = logs.robot_events[*open];  // rows and events share indices
      if (start.shelf != event.shelf)
        events.fail(row, shelf_column,
                    "is not the shelf of the robot's pick_start in row " +
                        std::to_string(events.file_row(*open)) + " (shelf " +
                        std::to_string(start.shelf) + ")");
      open.reset();
    }
    logs.robot_events.push_back(event);
  }
  return logs;
}

void write_warehouse_logs(const std::filesystem::path& directory, const WarehouseLogs& logs) {
  std::filesystem::create_directories(directory);
  const WarehouseLogFiles files;
  std::string text = "start_s,end_s\n";
  for (const Shift& shift : logs.shifts) {
    append_number(text, shift.start_s, 3);
    text += ',';
    append_number(text, shift.end_s, 3);
    text += '\n';
  }
  write_file_atomically(directory / files.shifts.file, text);

  text = "time_s,shelf\n";
  for (const OrderArrival& order : logs.orders) {
    append_number(text, order.time_s, 3);
    text += ',';
    append_index(text, order.shelf);
    text += '\n';
  }
  write_file_atomically(directory / files.orders.file, text);

  text = "time_s,robot,event,x,y,shelf\n";
  for (const RobotEvent& event : logs.robot_events) {
    append_number(text, event.time_s, 3);
    text += ',' + std::to_string(event.robot) + ',' + robot_event_name(event.kind) + ',' +
            std::to_string(event.x) + ',' + std::to_string(event.y) + ',';
    append_index(text, event.shelf);
    text += '\n';
  }
  write_file_atomically(directory / files.robot_events.file, text);
}

}  // namespace twinrl

#include "rundir/metrics_log.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iostream>
#include <stdexcept>
#include <string_view>

#include "rundir/atomic_file.h"
#include "rundir/run_dir.h"

namespace twinrl {
namespace {

constexpr std::string_view kStepColumn = "step";
constexpr std::size_t kFlushThresholdBytes = 1 << 16;

struct CsvRow {
  int64_t step = 0;
  std::vector<std::string> cells;  // as written, the step first; as many as the header has
};

struct CsvTable {
  std::vector<std::string> columns;  // empty for an empty file
  std::vector<CsvRow> rows;
  bool dropped_truncated_row = false;
};

enum class TruncatedTail { kThrow, kDropWithWarning };

std::string format_step(int64_t step) {
  char buffer[24];
  return std::string(buffer, std::to_chars(buffer, buffer + sizeof buffer, step).ptr);
}

// Shortest text that parses back to the same double; to_chars would give "-nan" for some NaNs.
std::string format_value(double value) {
  if (std::isnan(value)) return "nan";
  char buffer[32];
  return std::string(buffer, std::to_chars(buffer, buffer + sizeof buffer, value).ptr);
}

template <class Number>
std::optional<Number> parse_whole(std::string_view text) {
  Number number{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return {};
  return number;
}

std::vector<std::string> split_cells(std::string_view line) {
  std::vector<std::string> cells;
  for (;;) {
    const std::size_t comma = line.find(',');
    cells.emplace_back(line.substr(0, comma));
    if (comma == std::string_view::npos) return cells;
    line.remove_prefix(comma + 1);
  }
}

std::string join_cells(const std::vector<std::string>& cells) {
  std::string line;
  for (std::size_t index = 0; index < cells.size(); ++index) {
    if (index > 0) line += ',';
    line += cells[index];
  }
  return line + '\n';
}

std::runtime_error csv_error(const std::filesystem::path& path, std::size_t line_number,
                             const std::string& problem) {
  return std::runtime_error(path.string() + ":" + std::to_string(line_number) + ": " + problem);
}

void check_header(const std::filesystem::path& path, const std::vector<std::string>& columns) {
  if (columns.front() != kStepColumn) {
    throw csv_error(path, 1, "the header must start with 'step', not '" + columns.front() + "'");
  }
  for (auto column = columns.begin(); column != columns.end(); ++column) {
    if (column->empty()) throw csv_error(path, 1, "the header has an empty column name");
    if (std::find(columns.begin(), column, *column) != column) {
      throw csv_error(path, 1, "the header repeats the column '" + *column + "'");
    }
  }
}

CsvRow parse_row(const std::filesystem::path& path, std::size_t line_number,
                 const std::vector<std::string>& columns, std::vector<std::string> cells) {
  if (cells.size() != columns.size()) {
    throw csv_error(path, line_number,
                    "the row has " + std::to_string(cells.size()) + " cells, the header has " +
                        std::to_string(columns.size()));
  }
  const std::optional<int64_t> step = parse_whole<int64_t>(cells.front());
  if (!step) throw csv_error(path, line_number, "step '" + cells.front() + "' is not an integer");
  for (std::size_t column = 1; column < cells.size(); ++column) {
    if (!cells[column].empty() && !parse_whole<double>(cells[column])) {
      throw csv_error(
          path, line_number,
          "'" + cells[column] + "' in column '" + columns[column] + "' is not a number");
    }
  }
  return {*step, std::move(cells)};
}

// The one CSV reader: validates every line. A last line without a line break is a row cut short
// by a crash.
CsvTable read_csv_table(const std::filesystem::path& path, TruncatedTail truncated_tail) {
  const std::string contents = read_file(path);
  CsvTable table;
  std::size_t line_start = 0;
  for (std::size_t line_number = 1; line_start < contents.size(); ++line_number) {
    const std::size_t line_end = contents.find('\n', line_start);
    if (line_end == std::string::npos) {
      if (truncated_tail == TruncatedTail::kThrow) {
        throw csv_error(path, line_number, "the last line is truncated (no line break)");
      }
      std::cerr << "warning: " << path.string() << ":" << line_number
                << ": dropping the truncated last line (the run was probably stopped "
                   "mid-write)\n";
      table.dropped_truncated_row = true;
      break;
    }
    std::vector<std::string> cells =
        split_cells(std::string_view(contents).substr(line_start, line_end - line_start));
    line_start = line_end + 1;
    if (line_number == 1) {
      check_header(path, cells);
      table.columns = std::move(cells);
    } else {
      table.rows.push_back(parse_row(path, line_number, table.columns, std::move(cells)));
    }
  }
  return table;
}

std::string render_csv(const CsvTable& table) {
  if (table.columns.empty()) return "";
  std::string text = join_cells(table.columns);
  for (const CsvRow& row : table.rows) text += join_cells(row.cells);
  return text;
}

// The metric keys of an existing CSV, or nothing if it has no header yet. A truncated last line
// is removed from the file so that appended rows start on a line of their own.
std::optional<std::vector<std::string>> existing_csv_keys(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) return std::nullopt;
  const CsvTable table = read_csv_table(path, TruncatedTail::kDropWithWarning);
  if (table.dropped_truncated_row) write_file_atomically(path, render_csv(table));
  if (table.columns.empty()) return std::nullopt;
  return std::vector<std::string>(table.columns.begin() + 1, table.columns.end());
}

void check_keys(const std::vector<std::pair<std::string, double>>& values) {
  for (auto entry = values.begin(); entry != values.end(); ++entry) {
    const std::string& key = entry->first;
    if (key.empty() || key == kStepColumn || key.find_first_of(",\"\r\n") != std::string::npos) {
      throw std::invalid_argument("metric key '" + key +
                                  "' must be non-empty, not 'step', and free of commas, quotes "
                                  "and line breaks");
    }
    const auto same_key = [&](const auto& other) { return other.first == key; };
    if (std::find_if(values.begin(), entry, same_key) != entry) {
      throw std::invalid_argument("metric key '" + key + "' is logged twice in one step");
    }
  }
}

}  // namespace

MetricsLog::MetricsLog(const std::filesystem::path& run_dir)
    : run_dir_(run_dir),
      csv_path_(RunDir(run_dir).metrics_csv()),
      csv_keys_(existing_csv_keys(csv_path_)),
      tensorboard_(RunDir(run_dir).tensorboard()) {}

MetricsLog::~MetricsLog() {
  try {
    write_pending_csv();
  } catch (const std::exception& error) {
    std::cerr << "warning: lost metrics rows: " << error.what() << "\n";
  }
}

void MetricsLog::log(int64_t step, const std::vector<std::pair<std::string, double>>& values) {
  check_keys(values);
  std::vector<std::string> new_keys;
  for (const auto& [key, value] : values) {
    if (!csv_keys_ || std::ranges::find(*csv_keys_, key) == csv_keys_->end()) {
      new_keys.push_back(key);
    }
  }
  if (!csv_keys_) {
    csv_keys_ = std::move(new_keys);
    std::vector<std::string> header{std::string(kStepColumn)};
    header.insert(header.end(), csv_keys_->begin(), csv_keys_->end());
    pending_csv_ = join_cells(header);
  } else if (!new_keys.empty()) {
    widen_csv(new_keys);
  }

  std::vector<std::string> cells{format_step(step)};
  for (const std::string& key : *csv_keys_) {
    const auto entry = std::find_if(values.begin(), values.end(),
                                    [&](const auto& value) { return value.first == key; });
    cells.push_back(entry == values.end() ? "" : format_value(entry->second));
  }
  pending_csv_ += join_cells(cells);
  for (const auto& [key, value] : values) tensorboard_.add_scalar(key, step, value);
  if (pending_csv_.size() >= kFlushThresholdBytes) write_pending_csv();
}

void MetricsLog::flush() {
  write_pending_csv();
  tensorboard_.flush();
}

void MetricsLog::truncate_after(int64_t step) {
  flush();
  if (std::filesystem::exists(csv_path_)) {
    CsvTable table = read_csv_table(csv_path_, TruncatedTail::kDropWithWarning);
    const std::size_t erased =
        std::erase_if(table.rows, [&](const CsvRow& row) { return row.step > step; });
    if (erased > 0 || table.dropped_truncated_row) {
      write_file_atomically(csv_path_, render_csv(table));
    }
  }
  // The writer holds no open file between flushes, so its own file is rewritten like the others.
  for (const auto& entry : std::filesystem::directory_iterator(RunDir(run_dir_).tensorboard())) {
    if (entry.is_regular_file() && is_event_file(entry.path())) {
      truncate_event_file(entry.path(), step);
    }
  }
}

void MetricsLog::write_pending_csv() {
  if (pending_csv_.empty()) return;
  append_to_file(csv_path_, pending_csv_);
  pending_csv_.clear();
}

// The keys change only once the file has the new columns, so that a failed rewrite leaves the
// header and the rows that follow in agreement.
void MetricsLog::widen_csv(const std::vector<std::string>& new_keys) {
  write_pending_csv();
  CsvTable table = read_csv_table(csv_path_, TruncatedTail::kThrow);
  table.columns.insert(table.columns.end(), new_keys.begin(), new_keys.end());
  for (CsvRow& row : table.rows) row.cells.resize(table.columns.size());
  write_file_atomically(csv_path_, render_csv(table));
  csv_keys_->insert(csv_keys_->end(), new_keys.begin(), new_keys.end());
}

std::vector<std::map<std::string, double>> read_metrics_csv(const std::filesystem::path& csv_path) {
  const CsvTable table = read_csv_table(csv_path, TruncatedTail::kThrow);
  std::vector<std::map<std::string, double>> rows;
  for (const CsvRow& row : table.rows) {
    std::map<std::string, double>& values = rows.emplace_back();
    values[std::string(kStepColumn)] = static_cast<double>(row.step);
    for (std::size_t column = 1; column < row.cells.size(); ++column) {
      if (!row.cells[column].empty()) {
        values[table.columns[column]] = *parse_whole<double>(row.cells[column]);
      }
    }
  }
  return rows;
}

}  // namespace twinrl

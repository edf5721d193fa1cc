#pragma once
// A run's metrics, logged once to both `run_dir/metrics.csv` and TensorBoard event files under
// `run_dir/tb/`.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rundir/tensorboard_writer.h"

namespace twinrl {

// CSV layout: a header `step,<keys in first-seen order>`, then one row per log() call with an
// empty cell for each key that call did not log. Values are written in the shortest form that
// reads back as the same double; NaN and infinities as `nan`, `inf`, `-inf`.
//
// Opening a run directory that already has metrics appends to its CSV and starts a new event
// file. Rows are buffered; call flush() to make them visible to readers.
class MetricsLog {
 public:
  explicit MetricsLog(const std::filesystem::path& run_dir);
  // Flushes; a failure there is reported on stderr since destructors must not throw.
  ~MetricsLog();
  MetricsLog(const MetricsLog&) = delete;
  MetricsLog& operator=(const MetricsLog&) = delete;

  // A key seen for the first time gets a new column: the CSV is rewritten atomically with the
  // widened header. Throws std::invalid_argument for an empty key, `step`, a key repeated in
  // `values`, or one holding a comma, quote or line break (which would need CSV quoting).
  void log(int64_t step, const std::vector<std::pair<std::string, double>>& values);
  void flush();

  // For resuming from a checkpoint taken at `step`: drops the CSV rows and the TensorBoard events
  // after `step`, rewriting each file atomically. A truncated last CSV row or event record (a run
  // killed mid-write) is dropped with a warning on stderr.
  void truncate_after(int64_t step);

 private:
  void write_pending_csv();
  void widen_csv(const std::vector<std::string>& new_keys);

  std::filesystem::path run_dir_;
  std::filesystem::path csv_path_;
  // The CSV's columns after `step`; nothing until the file has a header.
  std::optional<std::vector<std::string>> csv_keys_;
  std::string pending_csv_;  // lines not yet appended to the file
  TensorBoardWriter tensorboard_;
};

// The rows of a metrics CSV: each maps `step` and the keys of its non-empty cells to values.
// Throws std::runtime_error naming the file and line for anything malformed, a truncated last
// row included.
std::vector<std::map<std::string, double>> read_metrics_csv(const std::filesystem::path& csv_path);

}  // namespace twinrl

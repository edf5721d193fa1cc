#pragma once
// TensorBoard event files written and read without TensorFlow: TFRecord framing around
// hand-encoded Event protos (tensorflow/core/util/event.proto).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace twinrl {

// Seconds since the Unix epoch, TensorBoard's wall_time.
double wall_clock_seconds();

// Writes scalars to a new event file
// `log_dir/events.out.tfevents.<unix seconds>.<hostname>.<pid>.<counter>`. Records are buffered
// and appended on flush(), when the buffer fills, and on destruction; no file is held open
// between flushes, so event files may be rewritten (truncate_event_file) while a writer lives.
class TensorBoardWriter {
 public:
  explicit TensorBoardWriter(const std::filesystem::path& log_dir);
  // Flushes; a failure there is reported on stderr since destructors must not throw.
  ~TensorBoardWriter();
  TensorBoardWriter(const TensorBoardWriter&) = delete;
  TensorBoardWriter& operator=(const TensorBoardWriter&) = delete;

  // TensorBoard stores scalars as float: `value` is rounded to float precision.
  void add_scalar(const std::string& tag, int64_t step, double value,
                  double wall_time = wall_clock_seconds());
  void flush();

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::string pending_records_;
};

struct ScalarEvent {
  std::string tag;
  int64_t step = 0;
  double wall_time = 0.0;
  float value = 0.0f;
};

// The scalars of one event file in file order. Checks the framing and both CRCs of every record;
// throws std::runtime_error naming the file and the record's byte offset on a bad length, a bad
// CRC, a malformed event or a truncated record.
std::vector<ScalarEvent> read_tensorboard_scalars(const std::filesystem::path& event_file);

// Rewrites `event_file` atomically, keeping the file_version record and the events with
// step <= max_step. A truncated last record (a run killed mid-write) is dropped with a warning
// on stderr; any other damage throws as in read_tensorboard_scalars.
void truncate_event_file(const std::filesystem::path& event_file, int64_t max_step);

// Whether a file name has the event-file form TensorBoard looks for.
bool is_event_file(const std::filesystem::path& path);

}  // namespace twinrl

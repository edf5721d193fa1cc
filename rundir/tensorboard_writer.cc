#include "rundir/tensorboard_writer.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <iostream>
#include <optional>
#include <stdexcept>

#include "rundir/atomic_file.h"
#include "rundir/crc32c.h"
#include "rundir/protobuf_wire.h"

namespace twinrl {
namespace {

constexpr std::string_view kEventFilePrefix = "events.out.tfevents.";
constexpr std::string_view kFileVersion = "brain.Event:2";
constexpr std::size_t kFlushThresholdBytes = 1 << 16;

// TFRecord framing: length, masked CRC of the length bytes, data, masked CRC of the data.
constexpr std::size_t kLengthBytes = 8;
constexpr std::size_t kCrcBytes = 4;
constexpr std::size_t kHeaderBytes = kLengthBytes + kCrcBytes;

// Field numbers from event.proto and summary.proto.
namespace event_field {
constexpr uint32_t kWallTime = 1;
constexpr uint32_t kStep = 2;
constexpr uint32_t kFileVersion = 3;
constexpr uint32_t kSummary = 5;
}  // namespace event_field
namespace summary_field {
constexpr uint32_t kValue = 1;
}  // namespace summary_field
namespace value_field {
constexpr uint32_t kTag = 1;
constexpr uint32_t kSimpleValue = 2;
}  // namespace value_field

std::string frame_record(std::string_view data) {
  std::string record;
  record.reserve(kHeaderBytes + data.size() + kCrcBytes);
  append_fixed64(record, data.size());
  append_fixed32(record, mask_crc32c(crc32c(record)));
  record.append(data);
  append_fixed32(record, mask_crc32c(crc32c(data)));
  return record;
}

struct Record {
  std::size_t offset = 0;  // of the record's first byte in the file
  std::string_view data;
};

enum class TruncatedTail { kThrow, kDropWithWarning };

std::runtime_error record_error(const std::filesystem::path& file, std::size_t offset,
                                std::string_view problem) {
  return std::runtime_error(file.string() + ": " + std::string(problem) +
                            " in the record at byte offset " + std::to_string(offset));
}

// Splits `contents`, the bytes of `file`, into records, checking both CRCs of each.
std::vector<Record> split_records(const std::filesystem::path& file, std::string_view contents,
                                  TruncatedTail truncated_tail) {
  std::vector<Record> records;
  std::size_t offset = 0;
  while (offset < contents.size()) {
    const std::string_view rest = contents.substr(offset);
    std::string_view truncation;
    if (rest.size() < kHeaderBytes) {
      truncation = "truncated length header";
    } else {
      const std::string_view length_bytes = rest.substr(0, kLengthBytes);
      if (load_fixed32(rest.substr(kLengthBytes)) != mask_crc32c(crc32c(length_bytes))) {
        throw record_error(file, offset, "bad length CRC");
      }
      const uint64_t length = load_fixed64(length_bytes);
      if (length > rest.size() - kHeaderBytes || rest.size() - kHeaderBytes - length < kCrcBytes) {
        truncation = "truncated data";
      } else {
        const std::string_view data = rest.substr(kHeaderBytes, length);
        if (load_fixed32(rest.substr(kHeaderBytes + length)) != mask_crc32c(crc32c(data))) {
          throw record_error(file, offset, "bad data CRC");
        }
        records.push_back({offset, data});
        offset += kHeaderBytes + length + kCrcBytes;
        continue;
      }
    }
    if (truncated_tail == TruncatedTail::kThrow) throw record_error(file, offset, truncation);
    std::cerr << "warning: " << file.string() << ": dropping the " << truncation
              << " of the last record at byte offset " << offset
              << " (the run was probably stopped mid-write)\n";
    break;
  }
  return records;
}

struct Event {
  double wall_time = 0.0;
  int64_t step = 0;
  bool has_file_version = false;
  std::vector<std::pair<std::string, float>> scalars;  // tag and simple_value
};

// Values without a simple_value (histograms, images, tensors) are not scalars and are skipped.
void decode_summary(std::string_view summary, Event& event) {
  ProtobufReader summary_reader(summary);
  while (const auto summary_entry = summary_reader.next()) {
    if (summary_entry->number != summary_field::kValue) continue;
    ProtobufReader value_reader(summary_entry->as_bytes());
    std::string tag;
    std::optional<float> simple_value;
    while (const auto field = value_reader.next()) {
      if (field->number == value_field::kTag) tag = field->as_bytes();
      if (field->number == value_field::kSimpleValue) simple_value = field->as_float();
    }
    if (simple_value) event.scalars.emplace_back(std::move(tag), *simple_value);
  }
}

Event decode_event(const std::filesystem::path& file, const Record& record) {
  Event event;
  try {
    ProtobufReader reader(record.data);
    while (const auto field = reader.next()) {
      switch (field->number) {
        case event_field::kWallTime:
          event.wall_time = field->as_double();
          break;
        case event_field::kStep:
          event.step = static_cast<int64_t>(field->as_varint());
          break;
        case event_field::kFileVersion:
          event.has_file_version = true;
          break;
        case event_field::kSummary:
          decode_summary(field->as_bytes(), event);
          break;
        default:
          break;
      }
    }
  } catch (const std::runtime_error& error) {
    throw record_error(file, record.offset, std::string("malformed event (") + error.what() + ")");
  }
  return event;
}

std::filesystem::path new_event_file_path(const std::filesystem::path& log_dir) {
  static std::atomic<uint64_t> counter{0};
  char hostname[256] = {};
  if (::gethostname(hostname, sizeof hostname - 1) != 0) std::strcpy(hostname, "localhost");
  const auto unix_seconds = static_cast<int64_t>(wall_clock_seconds());
  // The counter alone makes names unique within a process; skipping existing names also avoids
  // a file left by an earlier process that had the same pid in the same second.
  for (;;) {
    std::filesystem::path path =
        log_dir / (std::string(kEventFilePrefix) + std::to_string(unix_seconds) + "." + hostname +
                   "." + std::to_string(::getpid()) + "." + std::to_string(counter++));
    if (!std::filesystem::exists(path)) return path;
  }
}

}  // namespace

double wall_clock_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

TensorBoardWriter::TensorBoardWriter(const std::filesystem::path& log_dir) {
  std::filesystem::create_directories(log_dir);
  path_ = new_event_file_path(log_dir);
  ProtobufWriter event;
  event.add_double(event_field::kWallTime, wall_clock_seconds());
  event.add_bytes(event_field::kFileVersion, kFileVersion);
  // Written at once so that the file exists, and is recognized, from the start.
  append_to_file(path_, frame_record(event.bytes()));
}

TensorBoardWriter::~TensorBoardWriter() {
  try {
    flush();
  } catch (const std::exception& error) {
    std::cerr << "warning: lost TensorBoard events: " << error.what() << "\n";
  }
}

void TensorBoardWriter::add_scalar(const std::string& tag, int64_t step, double value,
                                   double wall_time) {
  ProtobufWriter summary_value;
  summary_value.add_bytes(value_field::kTag, tag);
  summary_value.add_float(value_field::kSimpleValue, static_cast<float>(value));
  ProtobufWriter summary;
  summary.add_bytes(summary_field::kValue, summary_value.bytes());
  ProtobufWriter event;
  event.add_double(event_field::kWallTime, wall_time);
  event.add_varint(event_field::kStep, static_cast<uint64_t>(step));
  event.add_bytes(event_field::kSummary, summary.bytes());
  pending_records_ += frame_record(event.bytes());
  if (pending_records_.size() >= kFlushThresholdBytes) flush();
}

void TensorBoardWriter::flush() {
  if (pending_records_.empty()) return;
  append_to_file(path_, pending_records_);
  pending_records_.clear();
}

std::vector<ScalarEvent> read_tensorboard_scalars(const std::filesystem::path& event_file) {
  const std::string contents = read_file(event_file);
  std::vector<ScalarEvent> scalars;
  for (const Record& record : split_records(event_file, contents, TruncatedTail::kThrow)) {
    Event event = decode_event(event_file, record);
    for (auto& [tag, value] : event.scalars) {
      scalars.push_back({std::move(tag), event.step, event.wall_time, value});
    }
  }
  return scalars;
}

void truncate_event_file(const std::filesystem::path& event_file, int64_t max_step) {
  const std::string contents = read_file(event_file);
  std::string kept;
  for (const Record& record :
       split_records(event_file, contents, TruncatedTail::kDropWithWarning)) {
    const Event event = decode_event(event_file, record);
    if (event.has_file_version || event.step <= max_step) kept += frame_record(record.data);
  }
  // Records are re-framed byte for byte, so equal sizes mean nothing was dropped.
  if (kept.size() != contents.size()) write_file_atomically(event_file, kept);
}

bool is_event_file(const std::filesystem::path& path) {
  return path.filename().string().starts_with(kEventFilePrefix);
}

}  // namespace twinrl

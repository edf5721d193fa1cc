#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "rundir/atomic_file.h"
#include "rundir/crc32c.h"
#include "rundir/metrics_log.h"
#include "rundir/protobuf_wire.h"
#include "rundir/tensorboard_writer.h"

namespace twinrl {
namespace {

namespace fs = std::filesystem;

std::string bytes_of(std::initializer_list<int> bytes) {
  std::string text;
  for (const int byte : bytes) text.push_back(static_cast<char>(byte));
  return text;
}

// The message of the std::runtime_error `action` throws, or a failure if it throws none.
std::string error_message(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected a std::runtime_error";
  return "";
}

std::vector<std::string> file_names(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<fs::path> event_files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (is_event_file(entry.path())) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Byte offsets of the records in an event file, found from the length fields alone so that the
// tests locate records independently of the reader under test.
std::vector<std::size_t> record_offsets(const std::string& contents) {
  std::vector<std::size_t> offsets;
  for (std::size_t offset = 0; offset < contents.size();
       offset += 8 + 4 + load_fixed64(contents.substr(offset, 8)) + 4) {
    offsets.push_back(offset);
  }
  return offsets;
}

// The file_version of the first record of an event file, or "" if it has none.
std::string first_record_file_version(const fs::path& event_file) {
  const std::string contents = read_file(event_file);
  ProtobufReader reader(std::string_view(contents).substr(12, load_fixed64(contents)));
  while (const auto field = reader.next()) {
    if (field->number == 3) return std::string(field->as_bytes());
  }
  return "";
}

std::vector<int64_t> steps_of(const std::vector<ScalarEvent>& scalars) {
  std::vector<int64_t> steps;
  for (const ScalarEvent& scalar : scalars) steps.push_back(scalar.step);
  return steps;
}

// A fresh directory per test, removed afterwards.
class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("twinrl_metrics_test_" + std::to_string(::getpid()) + "_" +
                                        test->test_suite_name() + "_" + test->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
};

TEST(Crc32cTest, MatchesStandardCheckValues) {
  EXPECT_EQ(crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(crc32c(""), 0u);
  // Test vectors from RFC 3720, appendix B.4.
  EXPECT_EQ(crc32c(std::string(32, '\x00')), 0x8A9136AAu);
  EXPECT_EQ(crc32c(std::string(32, '\xFF')), 0x62A8AB43u);
  std::string ascending;
  for (int byte = 0; byte < 32; ++byte) ascending.push_back(static_cast<char>(byte));
  EXPECT_EQ(crc32c(ascending), 0x46DD794Eu);
}

TEST(Crc32cTest, MaskRotatesRightBy15AndAddsTheDelta) {
  EXPECT_EQ(mask_crc32c(0), 0xa282ead8u);
  EXPECT_EQ(mask_crc32c(1), 0xa284ead8u);
  EXPECT_EQ(mask_crc32c(0xE3069283u), 0xc78ab0e5u);
}

TEST(ProtobufWireTest, EncodesLikeTheSpecification) {
  ProtobufWriter varint;
  varint.add_varint(1, 150);
  EXPECT_EQ(varint.bytes(), bytes_of({0x08, 0x96, 0x01}));

  ProtobufWriter fixed;
  fixed.add_double(1, 1.0);
  fixed.add_float(2, 1.0f);
  fixed.add_bytes(3, "ab");
  EXPECT_EQ(fixed.bytes(), bytes_of({0x09, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x15, 0, 0, 0x80, 0x3F,
                                     0x1A, 0x02, 'a', 'b'}));

  std::string negative_one;
  append_varint(negative_one, static_cast<uint64_t>(int64_t{-1}));
  EXPECT_EQ(negative_one, std::string(9, '\xFF') + "\x01");

  std::string little_endian;
  append_fixed32(little_endian, 0x12345678);
  append_fixed64(little_endian, 0x0102030405060708);
  EXPECT_EQ(little_endian, bytes_of({0x78, 0x56, 0x34, 0x12, 8, 7, 6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(load_fixed32(little_endian), 0x12345678u);
  EXPECT_EQ(load_fixed64(little_endian.substr(4)), 0x0102030405060708u);
}

TEST(ProtobufWireTest, VarintsRoundTrip) {
  const std::vector<uint64_t> values = {0,
                                        1,
                                        127,
                                        128,
                                        300,
                                        uint64_t{1} << 32,
                                        uint64_t{1} << 63,
                                        std::numeric_limits<uint64_t>::max(),
                                        static_cast<uint64_t>(int64_t{-1}),
                                        static_cast<uint64_t>(std::numeric_limits<int64_t>::min())};
  ProtobufWriter writer;
  for (std::size_t index = 0; index < values.size(); ++index) {
    writer.add_varint(static_cast<uint32_t>(index + 1), values[index]);
  }
  ProtobufReader reader(writer.bytes());
  for (std::size_t index = 0; index < values.size(); ++index) {
    const auto field = reader.next();
    ASSERT_TRUE(field);
    EXPECT_EQ(field->number, index + 1);
    EXPECT_EQ(field->type, WireType::kVarint);
    EXPECT_EQ(field->as_varint(), values[index]);
  }
  EXPECT_FALSE(reader.next());
}

TEST(ProtobufWireTest, FixedWidthAndNestedMessagesRoundTrip) {
  ProtobufWriter inner;
  inner.add_bytes(1, "return/mean");
  inner.add_float(2, -2.5f);
  ProtobufWriter outer;
  outer.add_double(1, 0.1);
  outer.add_double(2, -std::numeric_limits<double>::infinity());
  outer.add_float(3, std::numeric_limits<float>::denorm_min());
  outer.add_bytes(4, inner.bytes());
  outer.add_float((1u << 29) - 1, 7.0f);  // the largest field number

  ProtobufReader reader(outer.bytes());
  EXPECT_EQ(reader.next()->as_double(), 0.1);
  EXPECT_EQ(reader.next()->as_double(), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(reader.next()->as_float(), std::numeric_limits<float>::denorm_min());
  ProtobufReader inner_reader(reader.next()->as_bytes());
  EXPECT_EQ(inner_reader.next()->as_bytes(), "return/mean");
  EXPECT_EQ(inner_reader.next()->as_float(), -2.5f);
  EXPECT_FALSE(inner_reader.next());
  const auto last = reader.next();
  EXPECT_EQ(last->number, (1u << 29) - 1);
  EXPECT_EQ(last->as_float(), 7.0f);
  EXPECT_FALSE(reader.next());
}

TEST(ProtobufWireTest, MalformedInputThrows) {
  const auto read_all = [](const std::string& message) {
    return error_message([&] {
      ProtobufReader reader(message);
      while (reader.next()) {
      }
    });
  };
  EXPECT_NE(read_all(bytes_of({0x08, 0x96})).find("truncated"), std::string::npos);
  EXPECT_NE(read_all("\x08" + std::string(10, '\xFF') + "\x01").find("overflows"),
            std::string::npos);
  EXPECT_NE(read_all("\x08" + std::string(9, '\xFF') + "\x02").find("overflows"),
            std::string::npos);
  EXPECT_NE(read_all(bytes_of({0x22, 0x05, 'a', 'b'})).find("needs 5 bytes"), std::string::npos);
  EXPECT_NE(read_all(bytes_of({0x09, 0, 0})).find("needs 8 bytes"), std::string::npos);
  EXPECT_NE(read_all(bytes_of({0x0B})).find("wire type 3"), std::string::npos);
  EXPECT_NE(read_all(bytes_of({0x00, 0x00})).find("field number"), std::string::npos);

  const std::string varint_one = bytes_of({0x08, 0x01});
  ProtobufReader reader(varint_one);
  const auto field = reader.next();
  EXPECT_EQ(error_message([&] { field->as_double(); }),
            "protobuf field 1 is varint, expected fixed64");
  ProtobufWriter writer;
  EXPECT_THROW(writer.add_varint(0, 1), std::invalid_argument);
}

using TensorBoardTest = TempDirTest;

TEST_F(TensorBoardTest, EventFileReadsBackWithTheVersionRecordFirst) {
  fs::path file;
  {
    TensorBoardWriter writer(dir() / "tb");
    file = writer.path();
    EXPECT_EQ(file.parent_path(), dir() / "tb");
    char hostname[256] = {};
    ::gethostname(hostname, sizeof hostname - 1);
    const std::string name = file.filename();
    EXPECT_TRUE(name.starts_with("events.out.tfevents."));
    EXPECT_NE(name.find("." + std::string(hostname) + "." + std::to_string(::getpid()) + "."),
              std::string::npos)
        << name;

    writer.add_scalar("loss", 1, 0.5, 1000.25);
    writer.add_scalar("return/mean", 2, -3.75, 1000.5);
    // Buffered: nothing but the version record reaches the file before a flush.
    EXPECT_TRUE(read_tensorboard_scalars(file).empty());
    writer.flush();
    EXPECT_EQ(read_tensorboard_scalars(file).size(), 2u);
    writer.add_scalar("loss", 3, 0.1, 1001.0);
  }
  const std::vector<ScalarEvent> scalars = read_tensorboard_scalars(file);
  ASSERT_EQ(scalars.size(), 3u);
  EXPECT_EQ(scalars[0].tag, "loss");
  EXPECT_EQ(scalars[0].step, 1);
  EXPECT_EQ(scalars[0].wall_time, 1000.25);
  EXPECT_EQ(scalars[0].value, 0.5f);
  EXPECT_EQ(scalars[1].tag, "return/mean");
  EXPECT_EQ(scalars[1].step, 2);
  EXPECT_EQ(scalars[1].wall_time, 1000.5);
  EXPECT_EQ(scalars[1].value, -3.75f);
  EXPECT_EQ(scalars[2].tag, "loss");
  EXPECT_EQ(scalars[2].step, 3);
  EXPECT_EQ(scalars[2].value, 0.1f);
  EXPECT_EQ(first_record_file_version(file), "brain.Event:2");
}

TEST_F(TensorBoardTest, WritersInOneProcessGetDistinctFiles) {
  TensorBoardWriter first(dir());
  TensorBoardWriter second(dir());
  EXPECT_NE(first.path(), second.path());
  EXPECT_EQ(event_files(dir()).size(), 2u);
}

TEST_F(TensorBoardTest, DamageIsReportedWithFileAndByteOffset) {
  fs::path file;
  {
    TensorBoardWriter writer(dir());
    file = writer.path();
    for (int64_t step = 1; step <= 3; ++step) writer.add_scalar("loss", step, 1.0 / step);
  }
  const std::string contents = read_file(file);
  const std::vector<std::size_t> offsets = record_offsets(contents);
  ASSERT_EQ(offsets.size(), 4u);
  const std::string second_record = "byte offset " + std::to_string(offsets[1]);

  std::string flipped_data = contents;
  flipped_data[offsets[1] + 12 + 3] ^= 0x40;
  write_file_atomically(file, flipped_data);
  std::string message = error_message([&] { read_tensorboard_scalars(file); });
  EXPECT_NE(message.find(file.string()), std::string::npos) << message;
  EXPECT_NE(message.find("bad data CRC"), std::string::npos) << message;
  EXPECT_NE(message.find(second_record), std::string::npos) << message;

  std::string flipped_length = contents;
  flipped_length[offsets[1]] ^= 0x01;
  write_file_atomically(file, flipped_length);
  message = error_message([&] { read_tensorboard_scalars(file); });
  EXPECT_NE(message.find("bad length CRC"), std::string::npos) << message;
  EXPECT_NE(message.find(second_record), std::string::npos) << message;

  write_file_atomically(file, contents.substr(0, contents.size() - 2));
  message = error_message([&] { read_tensorboard_scalars(file); });
  EXPECT_NE(message.find("truncated data"), std::string::npos) << message;
  EXPECT_NE(message.find("byte offset " + std::to_string(offsets[3])), std::string::npos)
      << message;

  write_file_atomically(file, contents.substr(0, offsets[3] + 5));
  message = error_message([&] { read_tensorboard_scalars(file); });
  EXPECT_NE(message.find("truncated length header"), std::string::npos) << message;
}

using MetricsLogTest = TempDirTest;

TEST_F(MetricsLogTest, NewKeysWidenTheCsvHeader) {
  {
    MetricsLog log(dir());
    log.log(1, {{"loss", 0.5}});
    log.log(2, {{"loss", 0.25}, {"return", 10}});
    log.log(3, {{"return", 12.5}});
    log.flush();
    EXPECT_EQ(read_file(dir() / "metrics.csv"), "step,loss,return\n1,0.5,\n2,0.25,10\n3,,12.5\n");
  }
  const std::vector<std::map<std::string, double>> expected = {
      {{"step", 1}, {"loss", 0.5}},
      {{"step", 2}, {"loss", 0.25}, {"return", 10}},
      {{"step", 3}, {"return", 12.5}}};
  EXPECT_EQ(read_metrics_csv(dir() / "metrics.csv"), expected);
  EXPECT_EQ(file_names(dir()), (std::vector<std::string>{"metrics.csv", "tb"}));
}

TEST_F(MetricsLogTest, CsvValuesRoundTripExactly) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> values = {0.1,
                                      1.0 / 3.0,
                                      -0.0,
                                      std::numeric_limits<double>::denorm_min(),
                                      std::numeric_limits<double>::max(),
                                      123456789012345678.0,
                                      inf,
                                      -inf};
  // Built by appending: g++ 12 gives a false -Wrestrict for "v" + std::to_string(index).
  const auto key_for = [](std::size_t index) {
    std::string key = "v";
    key += std::to_string(index);
    return key;
  };
  {
    MetricsLog log(dir());
    std::vector<std::pair<std::string, double>> row;
    for (std::size_t index = 0; index < values.size(); ++index) {
      row.emplace_back(key_for(index), values[index]);
    }
    row.emplace_back("not_a_number", std::numeric_limits<double>::quiet_NaN());
    log.log(std::numeric_limits<int64_t>::max(), row);
  }
  const std::string csv = read_file(dir() / "metrics.csv");
  EXPECT_NE(csv.find(",inf,-inf,nan\n"), std::string::npos) << csv;
  const auto rows = read_metrics_csv(dir() / "metrics.csv");
  ASSERT_EQ(rows.size(), 1u);
  for (std::size_t index = 0; index < values.size(); ++index) {
    const double read_back = rows[0].at(key_for(index));
    EXPECT_EQ(read_back, values[index]);
    EXPECT_EQ(std::signbit(read_back), std::signbit(values[index]));
  }
  EXPECT_TRUE(std::isnan(rows[0].at("not_a_number")));
}

TEST_F(MetricsLogTest, EveryKeyGoesToTensorBoard) {
  {
    MetricsLog log(dir());
    log.log(10, {{"loss", 0.5}, {"return", 3}});
    log.log(20, {{"loss", 0.25}});
  }
  const std::vector<fs::path> files = event_files(dir() / "tb");
  ASSERT_EQ(files.size(), 1u);
  const std::vector<ScalarEvent> scalars = read_tensorboard_scalars(files[0]);
  ASSERT_EQ(scalars.size(), 3u);
  EXPECT_EQ(scalars[0].tag, "loss");
  EXPECT_EQ(scalars[0].step, 10);
  EXPECT_EQ(scalars[1].tag, "return");
  EXPECT_EQ(scalars[1].value, 3.0f);
  EXPECT_EQ(scalars[2].tag, "loss");
  EXPECT_EQ(scalars[2].step, 20);
}

TEST_F(MetricsLogTest, ReopeningAppendsToTheCsvAndStartsANewEventFile) {
  {
    MetricsLog log(dir());
    log.log(1, {{"a", 1}, {"b", 2}});
  }
  {
    MetricsLog log(dir());
    log.log(2, {{"b", 3}});
    log.log(3, {{"b", 4}, {"c", 5}});
  }
  EXPECT_EQ(read_file(dir() / "metrics.csv"), "step,a,b,c\n1,1,2,\n2,,3,\n3,,4,5\n");
  const std::vector<fs::path> files = event_files(dir() / "tb");
  ASSERT_EQ(files.size(), 2u);
  std::vector<int64_t> steps;
  for (const fs::path& file : files) {
    for (const int64_t step : steps_of(read_tensorboard_scalars(file))) steps.push_back(step);
  }
  std::sort(steps.begin(), steps.end());
  EXPECT_EQ(steps, (std::vector<int64_t>{1, 1, 2, 3, 3}));
}

TEST_F(MetricsLogTest, TruncateAfterDropsLaterRowsAndEventsOfEarlierSessions) {
  {
    MetricsLog log(dir());
    for (int64_t step = 1; step <= 10; ++step) log.log(step * 100, {{"loss", 1.0 / step}});
  }
  {
    MetricsLog log(dir());
    log.truncate_after(500);
    const auto rows = read_metrics_csv(dir() / "metrics.csv");
    ASSERT_EQ(rows.size(), 5u);
    EXPECT_EQ(rows.back().at("step"), 500);
    log.log(600, {{"loss", 6.5}});
  }
  const auto rows = read_metrics_csv(dir() / "metrics.csv");
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows.back().at("loss"), 6.5);
  const std::vector<fs::path> files = event_files(dir() / "tb");
  ASSERT_EQ(files.size(), 2u);
  std::vector<int64_t> steps;
  for (const fs::path& file : files) {
    EXPECT_EQ(first_record_file_version(file), "brain.Event:2");
    for (const int64_t step : steps_of(read_tensorboard_scalars(file))) steps.push_back(step);
  }
  std::sort(steps.begin(), steps.end());
  EXPECT_EQ(steps, (std::vector<int64_t>{100, 200, 300, 400, 500, 600}));
  EXPECT_EQ(file_names(dir()), (std::vector<std::string>{"metrics.csv", "tb"}));
}

TEST_F(MetricsLogTest, TruncateAfterRewritesTheLiveEventFileToo) {
  MetricsLog log(dir());
  for (int64_t step = 1; step <= 4; ++step) log.log(step, {{"x", static_cast<double>(step)}});
  log.truncate_after(2);
  log.log(3, {{"x", 30}});
  log.flush();
  const std::vector<fs::path> files = event_files(dir() / "tb");
  ASSERT_EQ(files.size(), 1u);
  const std::vector<ScalarEvent> scalars = read_tensorboard_scalars(files[0]);
  EXPECT_EQ(steps_of(scalars), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(scalars.back().value, 30.0f);
  EXPECT_EQ(read_file(dir() / "metrics.csv"), "step,x\n1,1\n2,2\n3,30\n");
}

TEST_F(MetricsLogTest, TruncateAfterDropsARecordCutShortByACrash) {
  {
    MetricsLog log(dir());
    for (int64_t step = 1; step <= 3; ++step) log.log(step, {{"x", 1.5}});
  }
  const fs::path file = event_files(dir() / "tb").at(0);
  const std::string contents = read_file(file);
  write_file_atomically(file, contents.substr(0, contents.size() - 5));
  EXPECT_NE(error_message([&] { read_tensorboard_scalars(file); }).find("truncated"),
            std::string::npos);

  MetricsLog log(dir());
  log.truncate_after(100);
  EXPECT_EQ(steps_of(read_tensorboard_scalars(file)), (std::vector<int64_t>{1, 2}));
}

TEST_F(MetricsLogTest, ReopeningDropsACsvRowCutShortByACrash) {
  {
    MetricsLog log(dir());
    log.log(1, {{"x", 1.25}});
    log.log(2, {{"x", 2.5}});
  }
  const fs::path csv_path = dir() / "metrics.csv";
  write_file_atomically(csv_path, "step,x\n1,1.25\n2,2.");
  const std::string message = error_message([&] { read_metrics_csv(csv_path); });
  EXPECT_NE(message.find(csv_path.string() + ":3: the last line is truncated"), std::string::npos)
      << message;
  {
    MetricsLog log(dir());
    log.log(2, {{"x", 2.75}});
  }
  EXPECT_EQ(read_file(csv_path), "step,x\n1,1.25\n2,2.75\n");
}

TEST_F(MetricsLogTest, RejectsKeysThatCannotBeCsvColumns) {
  MetricsLog log(dir());
  EXPECT_THROW(log.log(1, {{"a,b", 1}}), std::invalid_argument);
  EXPECT_THROW(log.log(1, {{"say \"hi\"", 1}}), std::invalid_argument);
  EXPECT_THROW(log.log(1, {{"", 1}}), std::invalid_argument);
  EXPECT_THROW(log.log(1, {{"step", 1}}), std::invalid_argument);
  EXPECT_THROW(log.log(1, {{"a", 1}, {"a", 2}}), std::invalid_argument);
  log.flush();
  EXPECT_FALSE(fs::exists(dir() / "metrics.csv"));
}

TEST_F(MetricsLogTest, MalformedCsvIsReportedWithFileAndLine) {
  const fs::path csv_path = dir() / "metrics.csv";
  const auto message_for = [&](const std::string& csv) {
    write_file_atomically(csv_path, csv);
    return error_message([&] { read_metrics_csv(csv_path); });
  };
  EXPECT_EQ(message_for("loss,a\n"),
            csv_path.string() + ":1: the header must start with 'step', not 'loss'");
  EXPECT_EQ(message_for("step,a,a\n"), csv_path.string() + ":1: the header repeats the column 'a'");
  EXPECT_EQ(message_for("step,a\n1,2\nx,3\n"),
            csv_path.string() + ":3: step 'x' is not an integer");
  EXPECT_EQ(message_for("step,a\n1,abc\n"),
            csv_path.string() + ":2: 'abc' in column 'a' is not a number");
  EXPECT_EQ(message_for("step,a\n1\n"),
            csv_path.string() + ":2: the row has 1 cells, the header has 2");
  // MetricsLog refuses to append to a CSV it cannot read.
  EXPECT_THROW(MetricsLog{dir()}, std::runtime_error);
}

using AtomicFileTest = TempDirTest;

TEST_F(AtomicFileTest, ReplacesContentsAndLeavesNoTemporaryFiles) {
  const fs::path path = dir() / "checkpoint.bin";
  write_file_atomically(path, "first");
  write_file_atomically(path, std::string("second\0with a zero byte", 23));
  EXPECT_EQ(read_file(path), std::string("second\0with a zero byte", 23));
  EXPECT_EQ(file_names(dir()), std::vector<std::string>{"checkpoint.bin"});
}

TEST_F(AtomicFileTest, WriterGetsAHiddenTemporaryInTheSameDirectory) {
  const fs::path path = dir() / "model.pt";
  write_atomically(path, [&](const fs::path& temp_path) {
    EXPECT_EQ(temp_path.parent_path(), dir());
    EXPECT_TRUE(temp_path.filename().string().starts_with(".model.pt.tmp."));
    std::ofstream(temp_path) << "weights";
  });
  EXPECT_EQ(read_file(path), "weights");
  EXPECT_EQ(file_names(dir()), std::vector<std::string>{"model.pt"});
}

TEST_F(AtomicFileTest, ThrowingWriterLeavesTheOldFileIntactAndNoTemporaryFiles) {
  const fs::path path = dir() / "config.yaml";
  write_file_atomically(path, "old");
  const auto failing_writer = [](const fs::path& temp_path) {
    std::ofstream(temp_path) << "half written";
    throw std::runtime_error("disk on fire");
  };
  EXPECT_EQ(error_message([&] { write_atomically(path, failing_writer); }), "disk on fire");
  EXPECT_EQ(read_file(path), "old");
  EXPECT_EQ(file_names(dir()), std::vector<std::string>{"config.yaml"});
}

TEST_F(AtomicFileTest, ErrorsNameThePath) {
  const fs::path missing_dir_file = dir() / "missing" / "file";
  std::string message = error_message([&] { write_file_atomically(missing_dir_file, "x"); });
  EXPECT_NE(message.find((dir() / "missing").string()), std::string::npos) << message;
  EXPECT_NE(message.find("No such file or directory"), std::string::npos) << message;

  message = error_message([&] { read_file(missing_dir_file); });
  EXPECT_EQ(message, "cannot open '" + missing_dir_file.string() + "': No such file or directory");

  // A writer that never creates the temporary file is an error, not an empty replacement.
  const fs::path path = dir() / "kept";
  write_file_atomically(path, "kept");
  message = error_message([&] { write_atomically(path, [](const fs::path&) {}); });
  EXPECT_NE(message.find(".kept.tmp."), std::string::npos) << message;
  EXPECT_EQ(read_file(path), "kept");
}

}  // namespace
}  // namespace twinrl

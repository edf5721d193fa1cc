#pragma once
// A minimal protobuf wire-format encoder and decoder, enough to write and read TensorBoard
// events without the protobuf library. Also the little-endian fixed-width helpers that TFRecord
// framing shares with the wire format.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace twinrl {

enum class WireType : uint8_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

void append_varint(std::string& out, uint64_t value);
void append_fixed32(std::string& out, uint32_t value);
void append_fixed64(std::string& out, uint64_t value);
// Little-endian values from the first 4 or 8 bytes of `bytes`, which must be that long.
uint32_t load_fixed32(std::string_view bytes);
uint64_t load_fixed64(std::string_view bytes);

// Builds one message. Signed integers go through add_varint as their two's complement
// (protobuf's int64 encoding, not the zigzag sint64 one).
class ProtobufWriter {
 public:
  void add_varint(uint32_t field, uint64_t value);
  void add_double(uint32_t field, double value);
  void add_float(uint32_t field, float value);
  // Strings, bytes and embedded messages.
  void add_bytes(uint32_t field, std::string_view value);

  const std::string& bytes() const { return bytes_; }

 private:
  void add_key(uint32_t field, WireType type);

  std::string bytes_;
};

struct ProtobufField {
  uint32_t number = 0;
  WireType type = WireType::kVarint;
  uint64_t integer = 0;    // the value of varint, fixed64 and fixed32 fields
  std::string_view bytes;  // the payload of length-delimited fields, a view into the message

  // Typed views of the value; each throws std::runtime_error if the wire type does not match.
  uint64_t as_varint() const;
  double as_double() const;
  float as_float() const;
  std::string_view as_bytes() const;
};

// Reads the fields of one message in order. Throws std::runtime_error on malformed input
// (truncated values, overlong varints, groups, field number 0).
class ProtobufReader {
 public:
  explicit ProtobufReader(std::string_view message) : rest_(message) {}

  // The next field, or nothing at the end of the message.
  std::optional<ProtobufField> next();

 private:
  uint64_t read_varint();
  std::string_view take(uint64_t size);

  std::string_view rest_;
};

}  // namespace twinrl

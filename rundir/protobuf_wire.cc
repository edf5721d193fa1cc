#include "rundir/protobuf_wire.h"

#include <bit>
#include <stdexcept>

namespace twinrl {
namespace {

constexpr int kMaxVarintBytes = 10;  // ceil(64 / 7)
constexpr uint32_t kMaxFieldNumber = (1u << 29) - 1;

const char* wire_type_name(WireType type) {
  switch (type) {
    case WireType::kVarint:
      return "varint";
    case WireType::kFixed64:
      return "fixed64";
    case WireType::kLengthDelimited:
      return "length-delimited";
    case WireType::kFixed32:
      return "fixed32";
  }
  return "unknown";
}

void expect_type(const ProtobufField& field, WireType expected) {
  if (field.type != expected) {
    throw std::runtime_error("protobuf field " + std::to_string(field.number) + " is " +
                             wire_type_name(field.type) + ", expected " + wire_type_name(expected));
  }
}

}  // namespace

void append_varint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

void append_fixed32(std::string& out, uint32_t value) {
  for (int byte = 0; byte < 4; ++byte) out.push_back(static_cast<char>(value >> (8 * byte)));
}

void append_fixed64(std::string& out, uint64_t value) {
  for (int byte = 0; byte < 8; ++byte) out.push_back(static_cast<char>(value >> (8 * byte)));
}

uint32_t load_fixed32(std::string_view bytes) {
  uint32_t value = 0;
  for (int byte = 3; byte >= 0; --byte) value = (value << 8) | static_cast<uint8_t>(bytes[byte]);
  return value;
}

uint64_t load_fixed64(std::string_view bytes) {
  uint64_t value = 0;
  for (int byte = 7; byte >= 0; --byte) value = (value << 8) | static_cast<uint8_t>(bytes[byte]);
  return value;
}

void ProtobufWriter::add_key(uint32_t field, WireType type) {
  if (field == 0 || field > kMaxFieldNumber) {
    throw std::invalid_argument("protobuf field number out of range: " + std::to_string(field));
  }
  append_varint(bytes_, (uint64_t{field} << 3) | static_cast<uint8_t>(type));
}

void ProtobufWriter::add_varint(uint32_t field, uint64_t value) {
  add_key(field, WireType::kVarint);
  append_varint(bytes_, value);
}

void ProtobufWriter::add_double(uint32_t field, double value) {
  add_key(field, WireType::kFixed64);
  append_fixed64(bytes_, std::bit_cast<uint64_t>(value));
}

void ProtobufWriter::add_float(uint32_t field, float value) {
  add_key(field, WireType::kFixed32);
  append_fixed32(bytes_, std::bit_cast<uint32_t>(value));
}

void ProtobufWriter::add_bytes(uint32_t field, std::string_view value) {
  add_key(field, WireType::kLengthDelimited);
  append_varint(bytes_, value.size());
  bytes_.append(value);
}

uint64_t ProtobufField::as_varint() const {
  expect_type(*this, WireType::kVarint);
  return integer;
}

double ProtobufField::as_double() const {
  expect_type(*this, WireType::kFixed64);
  return std::bit_cast<double>(integer);
}

float ProtobufField::as_float() const {
  expect_type(*this, WireType::kFixed32);
  return std::bit_cast<float>(static_cast<uint32_t>(integer));
}

std::string_view ProtobufField::as_bytes() const {
  expect_type(*this, WireType::kLengthDelimited);
  return bytes;
}

uint64_t ProtobufReader::read_varint() {
  uint64_t value = 0;
  for (int index = 0; index < kMaxVarintBytes; ++index) {
    if (rest_.empty()) throw std::runtime_error("protobuf varint is truncated");
    const auto byte = static_cast<uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    value |= uint64_t{byte & 0x7Fu} << (7 * index);
    if ((byte & 0x80) == 0) {
      // The tenth byte carries only bit 63.
      if (index == kMaxVarintBytes - 1 && byte > 1) break;
      return value;
    }
  }
  throw std::runtime_error("protobuf varint overflows 64 bits");
}

std::string_view ProtobufReader::take(uint64_t size) {
  if (size > rest_.size()) {
    throw std::runtime_error("protobuf value needs " + std::to_string(size) + " bytes, only " +
                             std::to_string(rest_.size()) + " left");
  }
  const std::string_view taken = rest_.substr(0, size);
  rest_.remove_prefix(size);
  return taken;
}

std::optional<ProtobufField> ProtobufReader::next() {
  if (rest_.empty()) return std::nullopt;
  const uint64_t key = read_varint();
  ProtobufField field;
  if ((key >> 3) == 0 || (key >> 3) > kMaxFieldNumber) {
    throw std::runtime_error("protobuf field number out of range: " + std::to_string(key >> 3));
  }
  field.number = static_cast<uint32_t>(key >> 3);
  const uint64_t type = key & 7;
  switch (type) {
    case static_cast<uint8_t>(WireType::kVarint):
      field.type = WireType::kVarint;
      field.integer = read_varint();
      break;
    case static_cast<uint8_t>(WireType::kFixed64):
      field.type = WireType::kFixed64;
      field.integer = load_fixed64(take(8));
      break;
    case static_cast<uint8_t>(WireType::kLengthDelimited):
      field.type = WireType::kLengthDelimited;
      field.bytes = take(read_varint());
      break;
    case static_cast<uint8_t>(WireType::kFixed32):
      field.type = WireType::kFixed32;
      field.integer = load_fixed32(take(4));
      break;
    default:  // 3 and 4 are the deprecated groups, 6 and 7 are unassigned
      throw std::runtime_error("unsupported protobuf wire type " + std::to_string(type) +
                               " in field " + std::to_string(field.number));
  }
  return field;
}

}  // namespace twinrl

#include "rundir/crc32c.h"

#include <array>

namespace twinrl {
namespace {

constexpr uint32_t kReflectedPolynomial = 0x82F63B78;
constexpr uint32_t kMaskDelta = 0xa282ead8;

// One table lookup per byte: entry b is the CRC register after shifting byte b through it.
constexpr std::array<uint32_t, 256> kByteTable = [] {
  std::array<uint32_t, 256> table{};
  for (uint32_t byte = 0; byte < 256; ++byte) {
    uint32_t crc = byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ ((crc & 1) ? kReflectedPolynomial : 0);
    table[byte] = crc;
  }
  return table;
}();

}  // namespace

uint32_t crc32c(std::string_view data) {
  uint32_t crc = 0xFFFFFFFF;
  for (const char c : data) crc = kByteTable[(crc ^ static_cast<uint8_t>(c)) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

uint32_t mask_crc32c(uint32_t crc) {
  return ((crc >> 15) | (crc << 17)) + kMaskDelta;
}

}  // namespace twinrl

#pragma once
// CRC32C (Castagnoli), the checksum TFRecord framing uses for TensorBoard event files.
#include <cstdint>
#include <string_view>

namespace twinrl {

// CRC32C of `data`: reflected polynomial 0x82F63B78, initial value and final xor 0xFFFFFFFF.
uint32_t crc32c(std::string_view data);

// The masked form TFRecord stores: rotated and offset so that a CRC of data that itself holds
// CRCs does not degenerate.
uint32_t mask_crc32c(uint32_t crc);

}  // namespace twinrl

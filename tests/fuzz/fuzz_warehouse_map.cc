// Hand-drawn warehouse maps (`map: |` in warehouse and AMR configs), parsed
// into a layout; errors are LayoutErrors.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "envs/warehouse/layout.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    twinrl::warehouse::Layout::parse(input);
  } catch (const twinrl::warehouse::LayoutError&) {
  }
  return 0;
}

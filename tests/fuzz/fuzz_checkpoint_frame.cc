// The checksummed framing of checkpoints (magic line, version, size, CRC32C),
// checked before LibTorch sees a byte; errors are FrameErrors.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rundir/checksummed_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    twinrl::unframe_checksummed(
        input, {.magic = "twinrl-checkpoint\n", .kind = "checkpoint", .version = 1});
  } catch (const twinrl::FrameError&) {
  }
  return 0;
}

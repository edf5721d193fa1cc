// Rollout files (JSON lines) as `twinrl view` reads them; errors are
// RolloutErrors naming the line and key.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "rundir/rollout.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream input(std::string(reinterpret_cast<const char*>(data), size));
  try {
    twinrl::parse_rollout(input, "fuzz.jsonl");
  } catch (const twinrl::RolloutError&) {
  }
  return 0;
}

#include "rundir/checksummed_file.h"

#include <charconv>
#include <cinttypes>
#include <cstdio>

#include "rundir/crc32c.h"

namespace twinrl {
namespace {

// Parses a number of `base` up to the next space or the end of `text`,
// advancing it past the number and one space.
template <class Number>
bool take_number(std::string_view& text, Number& value, int base) {
  const size_t end = std::min(text.find(' '), text.size());
  if (end == 0) return false;
  const auto [ptr, error] = std::from_chars(text.data(), text.data() + end, value, base);
  if (error != std::errc() || ptr != text.data() + end) return false;
  text.remove_prefix(std::min(end + 1, text.size()));
  return true;
}

}  // namespace

std::string frame_checksummed(const FileFrame& frame, std::string_view payload) {
  char header[64];
  std::snprintf(header, sizeof header, "%d %zu %08" PRIx32 "\n", frame.version, payload.size(),
                crc32c(payload));
  std::string framed;
  framed.reserve(frame.magic.size() + 64 + payload.size());
  framed.append(frame.magic).append(header).append(payload);
  return framed;
}

std::string_view unframe_checksummed(std::string_view contents, const FileFrame& frame) {
  const std::string_view magic = frame.magic;
  const int version = frame.version;
  if (!contents.starts_with(magic))
    throw FrameError("not a twinrl " + std::string(frame.kind) + " (no '" +
                     std::string(magic.substr(0, magic.size() - 1)) + "' header)");
  const size_t header_end = contents.find('\n', magic.size());
  if (header_end == std::string_view::npos) throw FrameError("damaged header");
  std::string_view header = contents.substr(magic.size(), header_end - magic.size());
  int found_version = 0;
  size_t size = 0;
  uint32_t expected_crc = 0;
  if (!take_number(header, found_version, 10) || !take_number(header, size, 10) ||
      !take_number(header, expected_crc, 16) || !header.empty())
    throw FrameError("damaged header");
  if (found_version != version)
    throw FrameError("format version " + std::to_string(found_version) +
                     ", this twinrl reads version " + std::to_string(version));
  const std::string_view payload = contents.substr(header_end + 1);
  if (payload.size() != size)
    throw FrameError("truncated or padded: " + std::to_string(payload.size()) +
                     " bytes where the header says " + std::to_string(size));
  if (crc32c(payload) != expected_crc)
    throw FrameError("damaged: its checksum does not match its contents");
  return payload;
}

}  // namespace twinrl

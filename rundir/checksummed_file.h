#pragma once
// The framing of a file whose damage must be noticed (checkpoints): a magic
// line naming the format, then "<version> <payload bytes> <CRC32C hex>\n",
// then the payload. Unframing checks all three before anyone reads the
// payload, so a flipped byte or a truncated write is an error, not a result.
#include <stdexcept>
#include <string>
#include <string_view>

namespace twinrl {

// Why a framed file cannot be read; the message says what is wrong with it
// (callers prefix the file's name).
class FrameError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// How a format frames its files: `magic` is its first line, newline included
// ("twinrl-checkpoint\n"); `kind` names it in messages ("checkpoint").
struct FileFrame {
  std::string_view magic;
  std::string_view kind;
  int version = 1;
};

std::string frame_checksummed(const FileFrame& frame, std::string_view payload);

// The payload of `contents` (a view into it), or a FrameError: another format,
// a damaged header, another version, a payload of the wrong size, a checksum
// that does not match.
std::string_view unframe_checksummed(std::string_view contents, const FileFrame& frame);

}  // namespace twinrl

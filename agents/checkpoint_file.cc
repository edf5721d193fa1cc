#include "agents/checkpoint_file.h"

#include <c10/util/Exception.h>

#include <cinttypes>
#include <cstdio>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "rundir/atomic_file.h"
#include "rundir/crc32c.h"

namespace twinrl {
namespace {

constexpr std::string_view kMagic = "twinrl-checkpoint\n";
constexpr int kVersion = 1;

// The first line of LibTorch's message: the rest is a C++ backtrace.
std::string first_line(const char* message) {
  std::string text(message);
  return text.substr(0, text.find('\n'));
}

}  // namespace

void save_checkpoint_file(torch::serialize::OutputArchive& archive,
                          const std::filesystem::path& path) {
  // Serialized in memory, so that a failing disk is met by the atomic write
  // below (an error that names the file) rather than inside LibTorch's writer.
  std::ostringstream stream;
  archive.save_to(stream);
  const std::string bytes = std::move(stream).str();
  char header[64];
  std::snprintf(header, sizeof header, "%d %zu %08" PRIx32 "\n", kVersion, bytes.size(),
                crc32c(bytes));
  write_file_atomically(path, std::string(kMagic) + header + bytes);
}

void read_checkpoint_file(const std::filesystem::path& path,
                          const std::function<void(torch::serialize::InputArchive&)>& read) {
  const std::string where = "checkpoint " + path.string() + ": ";
  if (!std::filesystem::is_regular_file(path))
    throw CheckpointError(where + (std::filesystem::exists(path) ? "not a file" : "not found"));
  std::string contents;
  try {
    contents = read_file(path);
  } catch (const std::exception& error) {
    throw CheckpointError(where + error.what());
  }
  if (!contents.starts_with(kMagic))
    throw CheckpointError(where + "not a twinrl checkpoint (no 'twinrl-checkpoint' header)");
  const size_t header_end = contents.find('\n', kMagic.size());
  int version = 0;
  size_t size = 0;
  uint32_t expected_crc = 0;
  if (header_end == std::string::npos ||
      std::sscanf(contents.c_str() + kMagic.size(), "%d %zu %" SCNx32, &version, &size,
                  &expected_crc) != 3)
    throw CheckpointError(where + "damaged header");
  if (version != kVersion)
    throw CheckpointError(where + "format version " + std::to_string(version) +
                          ", this twinrl reads version " + std::to_string(kVersion));
  const std::string_view bytes = std::string_view(contents).substr(header_end + 1);
  if (bytes.size() != size)
    throw CheckpointError(where + "truncated or padded: " + std::to_string(bytes.size()) +
                          " bytes where the header says " + std::to_string(size));
  if (crc32c(bytes) != expected_crc)
    throw CheckpointError(where + "damaged: its checksum does not match its contents");
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(bytes.data(), bytes.size());
    read(archive);
  } catch (const c10::Error& error) {
    throw CheckpointError(where + "does not fit this run's config.yaml (" +
                          first_line(error.what_without_backtrace()) + ")");
  } catch (const CheckpointError&) {
    throw;
  } catch (const std::exception& error) {
    throw CheckpointError(where + "does not fit this run's config.yaml (" + error.what() + ")");
  }
}

void load_module_checked(torch::nn::Module& module, torch::serialize::InputArchive& archive) {
  std::vector<std::pair<std::string, std::vector<int64_t>>> built;
  for (const auto& item : module.named_parameters())
    built.emplace_back(item.key(), item.value().sizes().vec());
  for (const auto& item : module.named_buffers())
    built.emplace_back(item.key(), item.value().sizes().vec());
  module.load(archive);
  size_t i = 0;
  const auto check = [&](const std::string& name, const torch::Tensor& tensor) {
    if (i >= built.size() || built[i].first != name || tensor.sizes().vec() != built[i].second)
      throw std::invalid_argument(
          "'" + name + "' has shape " + c10::str(tensor.sizes()) + " in the checkpoint, " +
          (i < built.size() ? c10::str(c10::IntArrayRef(built[i].second)) : std::string("none")) +
          " in the config");
    ++i;
  };
  for (const auto& item : module.named_parameters()) check(item.key(), item.value());
  for (const auto& item : module.named_buffers()) check(item.key(), item.value());
}

}  // namespace twinrl

#include "agents/checkpoint_file.h"

#include <c10/util/Exception.h>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "rundir/atomic_file.h"
#include "rundir/checksummed_file.h"

namespace twinrl {
namespace {

constexpr FileFrame kCheckpointFrame{
    .magic = "twinrl-checkpoint\n", .kind = "checkpoint", .version = 1};

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
  write_file_atomically(path, frame_checksummed(kCheckpointFrame, std::move(stream).str()));
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
  std::string_view bytes;
  try {
    bytes = unframe_checksummed(contents, kCheckpointFrame);
  } catch (const FrameError& error) {
    throw CheckpointError(where + error.what());
  }
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

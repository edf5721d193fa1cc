#pragma once
// Checkpoint files: a LibTorch archive behind a two-line header that carries
// its length and CRC32C,
//
//   twinrl-checkpoint
//   1 <archive bytes> <crc32c, 8 hex digits>
//   <archive>
//
// written atomically (a kill or a full disk leaves the previous file) and
// verified before anything is read from it, so a damaged file is an error
// that names it, never weights loaded silently.
#include <torch/nn/module.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <filesystem>
#include <functional>
#include <stdexcept>

namespace twinrl {

// A checkpoint that is missing, damaged, or does not fit its run's config.
// The message names the file.
class CheckpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

void save_checkpoint_file(torch::serialize::OutputArchive& archive,
                          const std::filesystem::path& path);

// Verifies the file, then calls `read` with its archive. Errors of `read`
// (a part missing, a tensor of another shape: a config edited since) become
// CheckpointErrors naming the file.
void read_checkpoint_file(const std::filesystem::path& path,
                          const std::function<void(torch::serialize::InputArchive&)>& read);

// Loads `module` from `archive` and checks that every parameter and buffer
// kept the shape the module was built with (LibTorch's loading silently
// takes the saved shapes); throws std::invalid_argument naming the first
// that did not.
void load_module_checked(torch::nn::Module& module, torch::serialize::InputArchive& archive);

}  // namespace twinrl

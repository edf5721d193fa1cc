#pragma once
// Whole-file I/O for run directories. Files that matter (checkpoints, configs, rewritten
// metrics) are written atomically: readers and crashes see the old file or the new one, never a
// mix. Errors throw std::runtime_error naming the path and the system's reason.
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace twinrl {

// Replaces `path` with `contents` atomically and durably; a failure (a full
// disk) leaves `path` as it was and throws naming it.
void write_file_atomically(const std::filesystem::path& path, std::string_view contents);

// Calls `write` with a temporary path in the same directory as `path`, fsyncs what it wrote,
// renames it over `path` and fsyncs the directory. If `write` throws, the temporary file is
// removed, `path` is untouched and the exception propagates.
void write_atomically(const std::filesystem::path& path,
                      const std::function<void(const std::filesystem::path& temp_path)>& write);

// Removes the temporary files that writes into `directory` left when their
// process was killed mid-write. Only for a directory no other process writes
// (a locked run directory).
void remove_stale_temporaries(const std::filesystem::path& directory);

// Appends `contents` to `path`, creating it if needed. Not atomic: a crash may leave a prefix of
// `contents`, which the readers of append-only logs detect and drop.
void append_to_file(const std::filesystem::path& path, std::string_view contents);

std::string read_file(const std::filesystem::path& path);

}  // namespace twinrl

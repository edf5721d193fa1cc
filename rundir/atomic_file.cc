#include "rundir/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace twinrl {
namespace {

[[noreturn]] void throw_errno(std::string_view action, const std::filesystem::path& path) {
  throw std::runtime_error(std::string(action) + " '" + path.string() +
                           "': " + std::strerror(errno));
}

// Owns a file descriptor so that every exit path closes it.
class FileDescriptor {
 public:
  FileDescriptor(const std::filesystem::path& path, int flags) : path_(path) {
    fd_ = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
    if (fd_ < 0) throw_errno("cannot open", path);
  }
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  void write_all(std::string_view data) {
    while (!data.empty()) {
      const ssize_t written = ::write(fd_, data.data(), data.size());
      if (written < 0) {
        if (errno == EINTR) continue;
        throw_errno("cannot write", path_);
      }
      data.remove_prefix(static_cast<std::size_t>(written));
    }
  }

  std::string read_all() {
    std::string contents;
    char buffer[1 << 16];
    for (;;) {
      const ssize_t count = ::read(fd_, buffer, sizeof buffer);
      if (count == 0) return contents;
      if (count < 0) {
        if (errno == EINTR) continue;
        throw_errno("cannot read", path_);
      }
      contents.append(buffer, static_cast<std::size_t>(count));
    }
  }

  void sync() {
    if (::fsync(fd_) != 0) throw_errno("cannot fsync", path_);
  }

  // Closes now so that a failed close (a delayed write error on some file systems) is reported.
  void close() {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) throw_errno("cannot close", path_);
  }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

// ".<file name>.tmp.<pid>.<n>": unique per call, so that threads replacing the
// same file do not share a temporary.
constexpr std::string_view kTemporaryMarker = ".tmp.";
std::filesystem::path temporary_path_for(const std::filesystem::path& path) {
  static std::atomic<uint64_t> counter{0};
  std::string name = ".";
  name += path.filename().string();
  name +=
      std::string(kTemporaryMarker) + std::to_string(::getpid()) + "." + std::to_string(counter++);
  return path.parent_path() / name;
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view contents) {
  try {
    write_atomically(path, [&](const std::filesystem::path& temp_path) {
      FileDescriptor file(temp_path, O_WRONLY | O_CREAT | O_TRUNC);
      file.write_all(contents);
      file.close();
    });
  } catch (const std::runtime_error& error) {
    // The system's message names the temporary file; name the one being replaced.
    throw std::runtime_error("writing '" + path.string() +
                             "' failed (it is unchanged): " + error.what());
  }
}

void remove_stale_temporaries(const std::filesystem::path& directory) {
  if (!std::filesystem::is_directory(directory)) return;
  std::vector<std::filesystem::path> stale;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.starts_with(".") &&
        name.find(kTemporaryMarker) != std::string::npos)
      stale.push_back(entry.path());
  }
  for (const auto& path : stale) std::filesystem::remove(path);
}

void write_atomically(const std::filesystem::path& path,
                      const std::function<void(const std::filesystem::path& temp_path)>& write) {
  if (path.filename().empty()) {
    throw std::runtime_error("cannot write '" + path.string() + "' atomically: not a file name");
  }
  const std::filesystem::path temp_path = temporary_path_for(path);
  try {
    write(temp_path);
    // Data must be on disk before the rename publishes it, or a crash can leave an empty file.
    FileDescriptor written(temp_path, O_RDONLY);
    written.sync();
    written.close();
    if (std::rename(temp_path.c_str(), path.c_str()) != 0) {
      throw std::runtime_error("cannot rename '" + temp_path.string() + "' to '" + path.string() +
                               "': " + std::strerror(errno));
    }
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temp_path, ignored);
    throw;
  }
  // The rename itself is durable only once the directory entry is synced.
  const std::filesystem::path directory =
      path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  FileDescriptor directory_handle(directory, O_RDONLY | O_DIRECTORY);
  directory_handle.sync();
}

void append_to_file(const std::filesystem::path& path, std::string_view contents) {
  FileDescriptor file(path, O_WRONLY | O_CREAT | O_APPEND);
  file.write_all(contents);
  file.close();
}

std::string read_file(const std::filesystem::path& path) {
  FileDescriptor file(path, O_RDONLY);
  return file.read_all();
}

}  // namespace twinrl

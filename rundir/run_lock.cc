#include "rundir/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace twinrl {

RunLock::RunLock(const RunDir& run) {
  std::filesystem::create_directories(run.root());
  const std::string path = run.lock_file().string();
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    char holder[32] = {};
    const ssize_t read = ::pread(fd_, holder, sizeof holder - 1, 0);
    ::close(fd_);
    fd_ = -1;
    if (error != EWOULDBLOCK)
      throw std::runtime_error("cannot lock " + path + ": " + std::strerror(error));
    std::string message =
        "run directory " + run.root().string() + " is in use by another twinrl process";
    if (read > 0) message += " (pid " + std::string(holder, static_cast<size_t>(read)) + ")";
    throw std::runtime_error(message + ": wait for it to finish, or stop it");
  }
  // The holder's pid, for the message above; the lock itself is the flock.
  const std::string pid = std::to_string(::getpid());
  const bool written =
      ::ftruncate(fd_, 0) == 0 && ::pwrite(fd_, pid.data(), pid.size(), 0) == std::ssize(pid);
  (void)written;  // the pid only makes another process's message clearer
}

RunLock::~RunLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace twinrl

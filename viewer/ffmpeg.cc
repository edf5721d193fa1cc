#include "viewer/ffmpeg.h"

#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <stdexcept>

#include "rundir/atomic_file.h"

namespace twinrl::viewer {
namespace {

constexpr size_t kMessageTail = 2000;  // characters of ffmpeg's messages in errors
constexpr int kCommandNotFound = 127;  // the shell's exit status

std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// Writing to a pipe whose reader has quit raises SIGPIPE, which would end the
// process. The signal is blocked in this thread while the pipe is written or
// closed, so that the write fails with EPIPE instead, and one raised meanwhile
// is taken before it is unblocked.
class SigpipeBlocked {
 public:
  SigpipeBlocked() {
    sigemptyset(&sigpipe_);
    sigaddset(&sigpipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &sigpipe_, &previous_);
  }
  ~SigpipeBlocked() {
    if (sigismember(&previous_, SIGPIPE)) return;  // blocked by the caller: left as it was
    sigset_t pending;
    sigpending(&pending);
    if (sigismember(&pending, SIGPIPE)) {
      const timespec no_wait{};
      sigtimedwait(&sigpipe_, nullptr, &no_wait);
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  SigpipeBlocked(const SigpipeBlocked&) = delete;
  SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;

 private:
  sigset_t sigpipe_;
  sigset_t previous_;
};

std::string temporary_log_path() {
  std::string path = (std::filesystem::temp_directory_path() / "twinrl-ffmpeg-XXXXXX").string();
  const int fd = mkstemp(path.data());
  if (fd < 0)
    throw std::runtime_error(std::string("cannot create a file for ffmpeg's messages: ") +
                             std::strerror(errno));
  ::close(fd);
  return path;
}

std::string message_tail(const std::string& path) {
  std::string text;
  try {
    text = read_file(path);
  } catch (const std::runtime_error&) {
    return "";
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  if (text.size() > kMessageTail) text = "..." + text.substr(text.size() - kMessageTail);
  return text;
}

}  // namespace

FfmpegEncoder::FfmpegEncoder(int width, int height, double fps,
                             const std::vector<std::string>& output_arguments)
    : width_(width), height_(height), log_path_(temporary_log_path()) {
  char rate[32];
  std::snprintf(rate, sizeof rate, "%g", fps);
  std::string command = "ffmpeg -hide_banner -loglevel error -y -f rawvideo -pix_fmt rgb24 -s " +
                        std::to_string(width) + "x" + std::to_string(height) + " -r " + rate +
                        " -i -";
  for (const std::string& argument : output_arguments) command += " " + shell_quote(argument);
  command += " 2>" + shell_quote(log_path_);
  // Close-on-exec: a child started meanwhile by another thread must not keep
  // the pipe open, or ffmpeg would never see the end of its input.
  pipe_ = popen(command.c_str(), "we");
  if (!pipe_) {
    std::filesystem::remove(log_path_);
    throw std::runtime_error(std::string("cannot start ffmpeg: ") + std::strerror(errno));
  }
}

FfmpegEncoder::~FfmpegEncoder() {
  if (pipe_) close();
  std::error_code ignored;
  std::filesystem::remove(log_path_, ignored);
}

void FfmpegEncoder::write(const RgbFrame& frame) {
  if (frame.width != width_ || frame.height != height_ ||
      frame.pixels.size() != static_cast<size_t>(width_) * height_ * 3)
    throw std::invalid_argument("a frame of " + std::to_string(frame.width) + "x" +
                                std::to_string(frame.height) + " pixels in a video of " +
                                std::to_string(width_) + "x" + std::to_string(height_));
  if (!pipe_) throw std::logic_error("ffmpeg's input was already closed");
  SigpipeBlocked blocked;
  if (std::fwrite(frame.pixels.data(), 1, frame.pixels.size(), pipe_) != frame.pixels.size())
    fail(close());
}

void FfmpegEncoder::finish() {
  if (!pipe_) throw std::logic_error("ffmpeg's input was already closed");
  if (const int status = close(); status != 0) fail(status);
}

int FfmpegEncoder::close() {
  SigpipeBlocked blocked;
  const int status = pclose(pipe_);
  pipe_ = nullptr;
  return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void FfmpegEncoder::fail(int exit_status) {
  if (exit_status == kCommandNotFound)
    throw std::runtime_error(
        "ffmpeg was not found: install it (on Debian: apt-get install ffmpeg)");
  const std::string message = message_tail(log_path_);
  throw std::runtime_error("ffmpeg failed (exit status " + std::to_string(exit_status) + ")" +
                           (message.empty() ? "" : ": " + message));
}

}  // namespace twinrl::viewer

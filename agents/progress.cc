#include "agents/progress.h"

#include <unistd.h>

#include <cmath>

namespace twinrl {
namespace {

std::string with_thousands(int64_t value) {
  const std::string digits = std::to_string(value < 0 ? -value : value);
  std::string text = value < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text.push_back(',');
    text.push_back(digits[i]);
  }
  return text;
}

std::string duration(double seconds) {
  const auto s = static_cast<long long>(std::llround(seconds));
  char text[48];
  if (s < 120)
    std::snprintf(text, sizeof text, "%lld s", s);
  else if (s < 7200)
    std::snprintf(text, sizeof text, "%lld min", s / 60);
  else
    std::snprintf(text, sizeof text, "%lld h %lld min", s / 3600, s % 3600 / 60);
  return text;
}

}  // namespace

ProgressLine::ProgressLine(int64_t total_steps, FILE* stream, bool force)
    : total_steps_(total_steps),
      stream_(stream),
      enabled_(stream && (force || isatty(fileno(stream)))),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressLine::~ProgressLine() {
  finish();
}

std::string ProgressLine::format(int64_t steps, int64_t total_steps, double steps_per_second,
                                 double recent_return) {
  std::string text = with_thousands(steps) + "/" + with_thousands(total_steps) + " steps | " +
                     with_thousands(std::llround(steps_per_second)) + " steps/s | return ";
  char number[32];
  std::snprintf(number, sizeof number, "%.1f", recent_return);
  text += std::isnan(recent_return) ? "-" : number;
  if (steps_per_second > 0 && steps < total_steps)
    text += " | " + duration((total_steps - steps) / steps_per_second) + " left";
  return text;
}

void ProgressLine::update(int64_t steps, double recent_return) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (first_steps_ < 0) {
    first_steps_ = steps;  // a resumed run counts speed from where it resumed
    start_ = now;
  }
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(250) && steps < total_steps_) return;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double speed = seconds > 0 ? (steps - first_steps_) / seconds : 0;
  std::fprintf(stream_, "\r\033[K%s", format(steps, total_steps_, speed, recent_return).c_str());
  std::fflush(stream_);
  drawn_ = true;
  last_draw_ = now;
}

void ProgressLine::finish() {
  if (!drawn_) return;
  std::fputc('\n', stream_);
  std::fflush(stream_);
  drawn_ = false;
}

}  // namespace twinrl

#pragma once
// The progress line of a long job: steps, steps per second, recent mean
// return and time left, redrawn in place on a terminal and silent otherwise.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace twinrl {

class ProgressLine {
 public:
  // Shows on `stream` only when it is a terminal (or when `force` is set);
  // a null stream shows nothing.
  ProgressLine(int64_t total_steps, FILE* stream = stdout, bool force = false);
  ~ProgressLine();

  // Redraws at most a few times per second.
  void update(int64_t steps, double recent_return);
  // Ends the line so that later output starts on a fresh one.
  void finish();

  // "40,960/100,000 steps | 5,120 steps/s | return 312.4 | 12 s left"
  static std::string format(int64_t steps, int64_t total_steps, double steps_per_second,
                            double recent_return);

 private:
  int64_t total_steps_;
  FILE* stream_;
  bool enabled_;
  bool drawn_ = false;
  int64_t first_steps_ = -1;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace twinrl

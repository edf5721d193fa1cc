#pragma once
// Waiting on an atomic: spin briefly, then sleep in the kernel. Back-to-back
// steps of cheap envs rarely pay for a futex wake-up, and a waiter that sleeps
// leaves its core to the learner.
#include <atomic>

namespace twinrl {

// About the time a step of a few hundred cheap envs takes.
inline constexpr int kSpinIterations = 4000;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Returns the first value of `value` that differs from `old`.
template <class T>
T wait_until_changed(const std::atomic<T>& value, T old) {
  for (int i = 0; i < kSpinIterations; ++i) {
    const T now = value.load(std::memory_order_acquire);
    if (now != old) return now;
    cpu_relax();
  }
  T now = value.load(std::memory_order_acquire);
  while (now == old) {
    value.wait(old, std::memory_order_acquire);
    now = value.load(std::memory_order_acquire);
  }
  return now;
}

}  // namespace twinrl

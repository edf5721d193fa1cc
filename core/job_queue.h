#pragma once
// A bounded queue of integer jobs with one producer and many consumers, for
// the asynchronous runner. Each cell carries the ticket it holds (after
// Vyukov's bounded queue), so a consumer that was preempted between taking a
// ticket and reading its cell cannot have the cell overwritten under it.
#include <atomic>
#include <cstdint>
#include <memory>
#include <semaphore>

#include "core/spin_wait.h"

namespace twinrl {

class JobQueue {
 public:
  explicit JobQueue(int64_t capacity) : capacity_(capacity), cells_(new Cell[capacity]) {
    for (int64_t i = 0; i < capacity; ++i) cells_[i].sequence.store(i, std::memory_order_relaxed);
  }

  // From one producer thread only. Waits while the cell it needs is still
  // unread, which happens only if its consumer was preempted mid-pop.
  void push(int64_t job) {
    Cell& cell = cells_[pushed_ % capacity_];
    for (int64_t seen = cell.sequence.load(std::memory_order_acquire); seen != pushed_;)
      seen = wait_until_changed(cell.sequence, seen);
    cell.job = job;
    cell.sequence.store(pushed_ + 1, std::memory_order_release);
    cell.sequence.notify_all();
    ++pushed_;
    ready_.release();
  }

  // Blocks until a job is there; any number of consumer threads.
  int64_t pop() {
    ready_.acquire();
    const int64_t ticket = taken_.fetch_add(1, std::memory_order_relaxed);
    Cell& cell = cells_[ticket % capacity_];
    for (int64_t seen = cell.sequence.load(std::memory_order_acquire); seen != ticket + 1;)
      seen = wait_until_changed(cell.sequence, seen);
    const int64_t job = cell.job;
    cell.sequence.store(ticket + capacity_, std::memory_order_release);
    cell.sequence.notify_all();
    return job;
  }

 private:
  struct Cell {
    std::atomic<int64_t> sequence;  // ticket + 1 once written; ticket + capacity once read
    int64_t job = 0;
  };

  int64_t capacity_;
  std::unique_ptr<Cell[]> cells_;
  int64_t pushed_ = 0;  // producer only
  std::atomic<int64_t> taken_{0};
  std::counting_semaphore<> ready_{0};
};

}  // namespace twinrl

#include "core/worker_pool.h"

#include <stdexcept>

#include "core/spin_wait.h"

namespace twinrl {
WorkerPool::WorkerPool(int threads) {
  if (threads < 1) throw std::invalid_argument("a worker pool needs at least one thread");
  errors_.resize(threads);
  workers_.reserve(threads - 1);
  for (int part = 1; part < threads; ++part) workers_.emplace_back([this, part] { work(part); });
}

WorkerPool::~WorkerPool() {
  stopping_.store(true, std::memory_order_release);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  generation_.notify_all();
  for (auto& worker : workers_) worker.join();
}

void WorkerPool::run_part(int part) {
  try {
    trampoline_(context_, part);
  } catch (...) {
    errors_[part] = std::current_exception();
  }
}

void WorkerPool::run_erased(Trampoline trampoline, void* context) {
  trampoline_ = trampoline;
  context_ = context;
  if (!workers_.empty()) {
    unfinished_.store(static_cast<int>(workers_.size()), std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_acq_rel);
    generation_.notify_all();
  }
  run_part(0);
  for (int left = unfinished_.load(std::memory_order_acquire); left != 0;)
    left = wait_until_changed(unfinished_, left);
  for (auto& error : errors_) {
    if (!error) continue;
    std::exception_ptr first = error;
    for (auto& e : errors_) e = nullptr;
    std::rethrow_exception(first);
  }
}

void WorkerPool::work(int part) {
  uint32_t seen = 0;
  while (true) {
    seen = wait_until_changed(generation_, seen);
    if (stopping_.load(std::memory_order_acquire)) return;
    run_part(part);
    if (unfinished_.fetch_sub(1, std::memory_order_acq_rel) == 1) unfinished_.notify_one();
  }
}

}  // namespace twinrl

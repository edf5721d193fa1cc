#pragma once
// A fixed pool of threads that runs one function over `size()` parts and waits
// for all of them. Created once per runner; the calling thread runs part 0, so
// a pool of one thread hands nothing off. Waiting spins briefly, then sleeps,
// so that idle workers leave the cores to the learner.
#include <atomic>
#include <cstdint>
#include <exception>
#include <thread>
#include <vector>

namespace twinrl {

class WorkerPool {
 public:
  explicit WorkerPool(int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  // Calls task(part) for part in [0, size()), in parallel; returns when all are
  // done and rethrows the first exception a part threw.
  template <class Task>
  void run(Task& task) {
    run_erased([](void* context, int part) { (*static_cast<Task*>(context))(part); }, &task);
  }

 private:
  using Trampoline = void (*)(void*, int);
  void run_erased(Trampoline trampoline, void* context);
  void work(int part);
  void run_part(int part);

  std::vector<std::thread> workers_;
  std::vector<std::exception_ptr> errors_;
  Trampoline trampoline_ = nullptr;
  void* context_ = nullptr;
  std::atomic<uint32_t> generation_{0};
  std::atomic<int> unfinished_{0};
  std::atomic<bool> stopping_{false};
};

}  // namespace twinrl

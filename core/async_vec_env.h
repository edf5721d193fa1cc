#pragma once
// The asynchronous vectorized runner, after EnvPool: send() queues envs with
// their actions, worker threads step whichever env is next, and recv() returns
// the first `batch_size` envs to finish. A finished env claims the next entry
// of a ring of output blocks and writes there directly, so nothing is copied.
#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "core/batch.h"
#include "core/env_group.h"
#include "core/job_queue.h"

namespace twinrl {

struct AsyncVecEnvOptions {
  int num_envs = 1;
  int batch_size = 1;  // envs per recv(), at most num_envs
  int threads = 1;     // worker threads; the caller only sends and receives
  uint64_t seed = 1;
};

class AsyncVecEnv {
 public:
  AsyncVecEnv(std::shared_ptr<const EnvModel> model, const AsyncVecEnvOptions& options);
  ~AsyncVecEnv();
  AsyncVecEnv(const AsyncVecEnv&) = delete;
  AsyncVecEnv& operator=(const AsyncVecEnv&) = delete;

  const EnvSpec& spec() const { return envs_.spec(); }
  int num_envs() const { return envs_.size(); }
  int batch_size() const { return batch_size_; }

  // Queues a reset of every env; their first observations come from recv().
  void reset();
  // Queues a step of each env in `env_ids`, with `actions` holding their rows
  // in the same order. An env must have been received before it is sent again.
  void send(const ActionRef& actions, std::span<const int32_t> env_ids);
  // Waits for the next `batch_size` envs to finish; batch.env_id names them.
  // Rethrows the first exception an env threw while stepping.
  // The batch stays valid until the next recv().
  const BatchView& recv();

 private:
  static constexpr int64_t kResetFlag = int64_t{1} << 40;
  static constexpr int64_t kStop = -1;

  void work();
  void copy_actions(const ActionRef& actions, int64_t source_row, int env);
  ActionRef queued_actions(int env) const;

  EnvGroup envs_;
  int batch_size_;
  int num_blocks_;
  BatchBuffers buffers_;
  BatchView received_;

  // The actions of each queued env, copied at send() so the caller may reuse its buffer.
  std::vector<float> continuous_actions_;
  std::vector<int64_t> discrete_actions_;

  // Envs to step or reset, from the caller to the workers.
  JobQueue jobs_;

  // Output: finished envs claim consecutive entries of the block ring.
  std::atomic<int64_t> entries_claimed_{0};
  std::vector<std::atomic<int>> block_filled_;
  int next_block_ = 0;

  // The first exception an env threw in a worker, rethrown by recv().
  std::mutex error_mutex_;
  std::exception_ptr error_;

  // Caller-side bookkeeping, to refuse sends that would corrupt the ring.
  std::vector<bool> in_flight_;
  int in_flight_count_ = 0;

  std::vector<std::thread> workers_;
};

}  // namespace twinrl

#pragma once
// An exclusive lock on a run directory for the process that writes it
// (training, resuming): a second writer fails at once with a message naming
// the directory and the holder's pid, instead of both appending to one
// metrics.csv. The lock is an flock(2) on `<run>/.lock`, released by the
// kernel when the process ends, however it ends.
#include "rundir/run_dir.h"

namespace twinrl {

class RunLock {
 public:
  // Creates the run directory if needed; throws std::runtime_error if
  // another process (or another RunLock) holds the lock.
  explicit RunLock(const RunDir& run);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace twinrl

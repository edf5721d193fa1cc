#pragma once
// Steps per second of an environment: through the synchronous or asynchronous
// runner, or through a plain single-thread loop over the same envs (the limit
// the runner is measured against). Used by `twinrl bench` and bench/.
#include <cstdint>
#include <memory>
#include <string>

#include "core/env.h"

namespace twinrl {

enum class StepMode { kSync, kAsync, kLoop };

// "sync", "async", "loop"; throws std::invalid_argument otherwise.
StepMode parse_step_mode(const std::string& name);
const char* step_mode_name(StepMode mode);

struct ThroughputOptions {
  StepMode mode = StepMode::kSync;
  int num_envs = 8;
  int threads = 1;
  int batch_size = 0;       // async only; 0 means num_envs / 2 (at least 1)
  int64_t steps = 1000000;  // env steps timed, after a warm-up of a tenth of that
  uint64_t seed = 1;
};

struct ThroughputResult {
  int64_t env_steps = 0;
  double seconds = 0;
  double steps_per_second() const { return seconds > 0 ? env_steps / seconds : 0; }
};

// Actions are random, drawn before timing so their cost is not measured.
ThroughputResult measure_throughput(std::shared_ptr<const EnvModel> model,
                                    const ThroughputOptions& options);

}  // namespace twinrl

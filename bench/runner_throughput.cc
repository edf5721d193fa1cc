// CartPole steps per second through the runner (sync and async, 1 and 2
// threads) next to a plain single-thread loop over the same envs, for
// num_envs from 1 to 1024. Configurations are interleaved and repeated, and
// each figure is the median, so ratios come from one run on one machine state.
// Usage: runner_throughput [steps per measurement] [repeats]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <vector>

#include "bench/throughput.h"
#include "envs/classic/cartpole.h"

namespace {

struct Column {
  const char* label;
  twinrl::StepMode mode;
  int threads;
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t steps = argc > 1 ? std::atoll(argv[1]) : 2'000'000;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
  const auto model = std::make_shared<twinrl::CartPoleModel>(twinrl::CartPoleParams{});
  const std::vector<Column> columns = {{"loop", twinrl::StepMode::kLoop, 1},
                                       {"sync 1T", twinrl::StepMode::kSync, 1},
                                       {"sync 2T", twinrl::StepMode::kSync, 2},
                                       {"async 1T", twinrl::StepMode::kAsync, 1},
                                       {"async 2T", twinrl::StepMode::kAsync, 2}};

  std::printf(
      "CartPole env steps per second (millions), median of %d; async batch = num_envs/2\n\n",
      repeats);
  std::printf("| num_envs |");
  for (const auto& column : columns) std::printf(" %s |", column.label);
  std::printf(" sync 1T / loop | sync 2T / loop |\n|---:|");
  for (size_t i = 0; i < columns.size() + 2; ++i) std::printf("---:|");
  std::printf("\n");

  for (const int num_envs : {1, 4, 16, 64, 256, 1024}) {
    std::map<int, std::vector<double>> samples;
    for (int repeat = 0; repeat < repeats; ++repeat)
      for (size_t c = 0; c < columns.size(); ++c) {
        const twinrl::ThroughputOptions options{.mode = columns[c].mode,
                                                .num_envs = num_envs,
                                                .threads = columns[c].threads,
                                                .steps = steps};
        samples[c].push_back(twinrl::measure_throughput(model, options).steps_per_second());
      }
    std::vector<double> medians;
    for (size_t c = 0; c < columns.size(); ++c) medians.push_back(median(samples[c]));
    std::printf("| %d |", num_envs);
    for (double value : medians) std::printf(" %.2f |", value / 1e6);
    std::printf(" %.2f | %.2f |\n", medians[1] / medians[0], medians[2] / medians[0]);
    std::fflush(stdout);
  }
  return 0;
}

#pragma once
// `twinrl train` and `twinrl resume`, on one process or several: `--nproc N`
// starts N local ranks; a rank started by hand (or by torchrun-style
// tooling) on each machine finds the others through RANK, WORLD_SIZE,
// MASTER_ADDR and MASTER_PORT, or the options of the same names.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace twinrl {

struct DistributedArguments {
  int nproc = 1;  // local ranks to start; 1: this process trains
  std::optional<int> rank, world_size, master_port;
  std::optional<std::string> master_addr;
  int timeout_seconds = 30;
};

struct TrainArguments {
  std::string config;
  std::vector<std::string> overrides;
  std::string runs_dir = "runs";
  int64_t stop_after = 0;
  DistributedArguments distributed;
};

struct ResumeArguments {
  std::string run_dir;
  int64_t stop_after = 0;
  DistributedArguments distributed;
};

// Adds --nproc, --rank, --world-size, --master-addr, --master-port and
// --dist-timeout to a subcommand.
void add_distributed_options(CLI::App& command, DistributedArguments& arguments);

// `arguments`: the command line after the program's name, which the local
// ranks of --nproc are started with (without --nproc).
int run_train(const TrainArguments& args, const std::vector<std::string>& arguments);
int run_resume(const ResumeArguments& args, const std::vector<std::string>& arguments);

}  // namespace twinrl

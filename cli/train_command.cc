#include "cli/train_command.h"

#include <yaml-cpp/yaml.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>

#include "agents/data_parallel.h"
#include "agents/distributed/communicator.h"
#include "agents/distributed/local_launch.h"
#include "agents/train.h"
#include "envs/builtin_envs.h"
#include "rundir/run_dir.h"

namespace twinrl {
namespace {

// The command line without --nproc (for the ranks it starts).
std::vector<std::string> without_nproc(const std::vector<std::string>& arguments) {
  std::vector<std::string> result;
  for (size_t i = 0; i < arguments.size(); ++i) {
    if (arguments[i] == "--nproc") {
      ++i;  // and its value
      continue;
    }
    if (arguments[i].rfind("--nproc=", 0) == 0) continue;
    result.push_back(arguments[i]);
  }
  return result;
}

// This process's place in a distributed run, from the options and the
// environment (options first); nullopt for a run on one process.
std::optional<DistributedOptions> distributed_options(const DistributedArguments& args) {
  std::optional<DistributedOptions> options = distributed_options_from_environment();
  if (!options && !args.world_size) {
    if (args.rank || args.master_addr || args.master_port)
      throw std::invalid_argument(
          "--rank, --master-addr and --master-port need --world-size (or WORLD_SIZE)");
    return std::nullopt;
  }
  if (!options) options.emplace();
  if (args.world_size) options->world_size = *args.world_size;
  if (args.rank) options->rank = *args.rank;
  if (args.master_addr) options->master_addr = *args.master_addr;
  if (args.master_port) options->master_port = *args.master_port;
  options->timeout = std::chrono::seconds(args.timeout_seconds);
  check_distributed_options(*options);
  if (options->world_size == 1) return std::nullopt;
  return options;
}

void print_summary(const std::filesystem::path& run_dir, const TrainSummary& summary) {
  std::printf("%s: %lld episodes, recent mean return %.2f\n", run_dir.c_str(),
              static_cast<long long>(summary.episodes), summary.recent_return);
}

// Trains on this process, or as one rank of a distributed run.
int train_here(const Experiment& experiment, SessionOptions session, const std::string& mode,
               const std::optional<DistributedOptions>& distributed) {
  std::optional<Communicator> communicator;
  if (distributed) {
    YAML::Emitter resolved;
    resolved << experiment.resolved;
    communicator.emplace(*distributed,
                         mode + " " + session.run_dir.string() + "\n" + resolved.c_str());
    session.communicator = &*communicator;
  }
  const TrainSummary summary = train(experiment, session);
  if (!distributed || distributed->rank == 0) print_summary(session.run_dir, summary);
  return 0;
}

void check_launch(const Experiment& experiment, const DistributedArguments& args) {
  if (args.nproc < 1)
    throw std::invalid_argument("--nproc must be at least 1, not " + std::to_string(args.nproc));
  if (args.nproc > 1 && (args.rank || args.world_size || args.master_addr || args.master_port))
    throw std::invalid_argument(
        "--nproc starts its own ranks: give it without --rank, --world-size, --master-addr or "
        "--master-port");
  if (args.nproc > 1 && experiment.agent.algorithm != "ppo")
    throw std::invalid_argument("agent.algorithm " + experiment.agent.algorithm +
                                " trains on one process only; --nproc is for ppo");
}

bool is_launcher(const DistributedArguments& args) {
  return args.nproc > 1;
}

}  // namespace

void add_distributed_options(CLI::App& command, DistributedArguments& arguments) {
  command
      .add_option("--nproc", arguments.nproc,
                  "Train on this many local processes (data-parallel PPO over c10d/Gloo; "
                  "num_envs is per process, total_steps for all)")
      ->capture_default_str();
  command.add_option("--rank", arguments.rank,
                     "This process's rank in a run started by hand on several machines "
                     "(default: RANK)");
  command.add_option("--world-size", arguments.world_size,
                     "Processes in that run (default: WORLD_SIZE)");
  command.add_option("--master-addr", arguments.master_addr,
                     "Address of rank 0 (default: MASTER_ADDR, else 127.0.0.1)");
  command.add_option("--master-port", arguments.master_port,
                     "Port of rank 0's rendezvous (default: MASTER_PORT, else 29500)");
  command
      .add_option("--dist-timeout", arguments.timeout_seconds,
                  "Seconds a rank waits for the others before it gives up with an error")
      ->capture_default_str();
}

int run_train(const TrainArguments& args, const std::vector<std::string>& arguments) {
  const Experiment experiment = load_experiment(args.config, args.overrides, builtin_envs());
  check_launch(experiment, args.distributed);
  const std::optional<DistributedOptions> distributed =
      is_launcher(args.distributed) ? std::nullopt : distributed_options(args.distributed);
  const std::filesystem::path run_dir = std::filesystem::path(args.runs_dir) / experiment.run.name;
  // Said once: by rank 0 of the ranks that --nproc starts.
  if (!is_launcher(args.distributed) && (!distributed || distributed->rank == 0)) {
    const std::string processes =
        distributed ? ", " + std::to_string(distributed->world_size) + " processes" : "";
    std::printf("training %s (%s on %s, %lld steps%s) into %s\n", args.config.c_str(),
                experiment.agent.algorithm.c_str(), experiment.run.env.id.c_str(),
                static_cast<long long>(experiment.agent.total_steps), processes.c_str(),
                run_dir.c_str());
    std::fflush(stdout);
  }
  if (is_launcher(args.distributed))
    return run_local_workers(args.distributed.nproc, without_nproc(arguments));
  return train_here(experiment, {.run_dir = run_dir, .stop_after_steps = args.stop_after}, "train",
                    distributed);
}

int run_resume(const ResumeArguments& args, const std::vector<std::string>& arguments) {
  const Experiment experiment = load_run_experiment(args.run_dir, builtin_envs());
  check_launch(experiment, args.distributed);
  const std::optional<DistributedOptions> distributed =
      is_launcher(args.distributed) ? std::nullopt : distributed_options(args.distributed);
  const std::filesystem::path checkpoint = RunDir(args.run_dir).checkpoint("latest");
  if (std::filesystem::exists(checkpoint)) {
    const int64_t now = is_launcher(args.distributed) ? args.distributed.nproc
                        : distributed                 ? distributed->world_size
                                                      : 1;
    require_same_world_size(checkpoint.string(), checkpoint_world_size(checkpoint), now);
  }
  if (is_launcher(args.distributed))
    return run_local_workers(args.distributed.nproc, without_nproc(arguments));
  if ((!distributed || distributed->rank == 0) && !std::filesystem::exists(checkpoint))
    std::printf("%s has no checkpoint yet (stopped before its first): starting it over\n",
                args.run_dir.c_str());
  return train_here(experiment,
                    {.run_dir = args.run_dir, .resume = true, .stop_after_steps = args.stop_after},
                    "resume", distributed);
}

}  // namespace twinrl

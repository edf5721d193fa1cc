// The `twinrl` command: parses arguments and calls library functions.
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <new>
#include <optional>

#include "agents/evaluate.h"
#include "agents/experiment.h"
#include "agents/export/policy_export.h"
#include "agents/policy_checkpoint.h"
#include "agents/record_rollout.h"
#include "agents/train.h"
#include "bench/throughput.h"
#include "bench/train_benchmark.h"
#include "cli/train_command.h"
#include "cli/view_command.h"
#include "config/closest_match.h"
#include "config/config_error.h"
#include "config/run_config.h"
#include "core/env_registry.h"
#include "core/seed_streams.h"
#include "envs/builtin_envs.h"
#include "rundir/run_dir.h"
#include "twins/twin_commands.h"
#include "twins/whatif.h"

namespace twinrl {
namespace {

// Exit codes: 0 success, 1 failure while running, 2 bad input (arguments or config).
constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;

struct BenchArguments {
  std::string env = "CartPole";
  ThroughputOptions options;
  std::string mode = "sync";
  std::vector<std::string> params;
  // --train: the whole training loop of a config instead of the env alone.
  std::string train_config;
  std::vector<std::string> overrides;
  int repeats = 3;
  std::optional<double> target_return;
};

int run_envs() {
  const EnvRegistry registry = builtin_envs();
  for (const EnvEntry& entry : registry.entries()) std::cout << describe_env(entry) << "\n";
  return 0;
}

void print_train_run(const std::string& label, const TrainBenchmarkRun& run) {
  const std::string steps_to_target =
      run.steps_to_target ? std::to_string(*run.steps_to_target) : "not reached";
  char seconds_to_target[32] = "not reached";
  if (run.seconds_to_target)
    std::snprintf(seconds_to_target, sizeof seconds_to_target, "%.2f", *run.seconds_to_target);
  std::printf("| %s | %lld | %.0f | %.2f | %.2f | %s | %s | %.1f |\n", label.c_str(),
              static_cast<long long>(run.steps), run.steps_per_second(), run.training_seconds,
              run.wall_seconds, steps_to_target.c_str(), seconds_to_target, run.final_return);
  std::fflush(stdout);
}

// Trains the config `repeats` times from scratch in scratch run directories.
int run_train_bench(const BenchArguments& args) {
  const Experiment experiment = load_experiment(args.train_config, args.overrides, builtin_envs());
  const std::filesystem::path scratch =
      std::filesystem::temp_directory_path() / ("twinrl_bench_train_" + std::to_string(::getpid()));
  std::printf("%s: %s on %s x%d, %lld steps, %d runs%s\n\n", args.train_config.c_str(),
              experiment.agent.algorithm.c_str(), experiment.run.env.id.c_str(),
              experiment.run.env.num_envs, static_cast<long long>(experiment.agent.total_steps),
              args.repeats,
              args.target_return
                  ? (", target return " + format_parameter_value(*args.target_return)).c_str()
                  : "");
  std::printf(
      "| run | steps | training steps/s | training s | wall s | steps to target | training s "
      "to target | final return |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
  std::vector<TrainBenchmarkRun> runs;
  for (int repeat = 1; repeat <= args.repeats; ++repeat) {
    const std::filesystem::path run_dir = scratch / std::to_string(repeat);
    std::filesystem::remove_all(run_dir);
    runs.push_back(benchmark_training(experiment, run_dir, args.target_return));
    std::filesystem::remove_all(run_dir);
    print_train_run(std::to_string(repeat), runs.back());
  }
  std::filesystem::remove_all(scratch);
  print_train_run("median", median_run(runs));
  return 0;
}

int run_bench(BenchArguments args) {
  if (!args.train_config.empty()) return run_train_bench(args);
  const EnvRegistry registry = builtin_envs();
  // Env parameters given as `--param key=value` are read as a YAML mapping.
  const ConfigNode params = parse_config_text("", "command line", args.params, "--param");
  const auto model = registry.build(args.env, params, params);
  args.options.mode = parse_step_mode(args.mode);
  const ThroughputResult result = measure_throughput(model, args.options);
  std::printf("%s %s num_envs=%d threads=%d: %.0f steps/s (%lld steps in %.3f s)\n",
              args.env.c_str(), args.mode.c_str(), args.options.num_envs, args.options.threads,
              result.steps_per_second(), static_cast<long long>(result.env_steps), result.seconds);
  return 0;
}

struct EvalArguments {
  std::string path;  // a run directory, or a config file for untrained policies
  EvaluationPolicy policy;
  std::string checkpoint = "best";
  int episodes = 100;
  int record = 0;  // episodes to record into the run's rollouts/
  std::vector<std::string> overrides;
};

int run_eval(EvalArguments args) {
  const bool from_config = std::filesystem::is_regular_file(args.path);
  if (from_config && args.policy.name == "trained")
    throw std::invalid_argument(args.path +
                                " is a config, not a run: train it first, or evaluate "
                                "--policy random or heuristic");
  if (!from_config && !args.overrides.empty())
    throw std::invalid_argument("--set applies to configs; a run keeps its resolved config");
  const Experiment experiment = from_config
                                    ? load_experiment(args.path, args.overrides, builtin_envs())
                                    : load_run_experiment(args.path, builtin_envs());
  args.policy.checkpoint = RunDir(args.path).checkpoint(args.checkpoint);
  // Seeds the training never used, so evaluation sees fresh episodes.
  const uint64_t seed = stream_seed(experiment.run.seed, seed_streams::kEvaluation);
  std::printf("%s on %s:\n", args.policy.name.c_str(), experiment.run.env.id.c_str());
  std::fflush(stdout);
  if (args.record > args.episodes)
    throw std::invalid_argument("--record " + std::to_string(args.record) +
                                " is more than --episodes " + std::to_string(args.episodes));
  std::optional<RolloutRecorder> recorder;
  const RecordingRequest recording{
      .policy = args.policy,
      .episodes = args.record,
      .seed = seed,
      .training_step =
          args.policy.name == "trained" ? checkpoint_training_step(args.policy.checkpoint) : -1};
  if (args.record > 0) recorder.emplace(rollout_header(experiment, recording), args.record);
  std::printf("%s", format_evaluation(evaluate(experiment, args.policy, args.episodes, seed,
                                               recorder ? &*recorder : nullptr))
                        .c_str());
  if (recorder) {
    // A config's rollouts go where its run would be.
    const std::filesystem::path run_dir = from_config
                                              ? std::filesystem::path("runs") / experiment.run.name
                                              : std::filesystem::path(args.path);
    const auto out = RunDir(run_dir).rollout("eval_" + args.policy.name);
    write_rollout(out, recorder->rollout());
    std::printf("recorded %d episodes into %s (twinrl view %s)\n", args.record, out.c_str(),
                out.c_str());
  }
  return 0;
}

int run_export(const std::string& run_dir, const ExportOptions& options) {
  for (const auto& file : export_policy(run_dir, options, builtin_envs()))
    std::printf("wrote %s\n", file.c_str());
  return 0;
}

int run_config_check(const std::string& path, const std::vector<std::string>& overrides) {
  const Experiment experiment = load_experiment(path, overrides, builtin_envs());
  if (experiment.run.twin.defined()) check_twin_section(experiment);
  std::cout << path << ": ok (run '" << experiment.run.name << "', " << experiment.agent.algorithm
            << " on " << experiment.run.env.id << " x" << experiment.run.env.num_envs << ")\n";
  return 0;
}

// Every parameter of the config's env by dotted name: value, kind, bounds,
// and the range of the ones env.randomize draws.
int run_config_parameters(const std::string& path, const std::vector<std::string>& overrides) {
  const Experiment experiment = load_experiment(path, overrides, builtin_envs());
  const EnvModel& model = *experiment.env_model;
  const ParameterTable& table = model.parameters();
  std::vector<std::string> drawn(table.size());
  for (const Randomization::Range& range : model.randomization().ranges())
    drawn[range.index] =
        "[" + format_parameter_value(range.low) + ", " + format_parameter_value(range.high) + "]";
  std::printf("%-40s %14s %-8s %12s %12s  %s\n", "parameter", "value", "kind", "min", "max",
              "randomized");
  for (size_t i = 0; i < table.size(); ++i) {
    const ParameterInfo& info = table.info(i);
    std::printf("%-40s %14s %-8s %12s %12s  %s\n", info.name.c_str(),
                format_parameter_value(table.value(i)).c_str(), info.real ? "real" : "integer",
                info.min ? format_parameter_value(*info.min).c_str() : "",
                info.max ? format_parameter_value(*info.max).c_str() : "", drawn[i].c_str());
  }
  return 0;
}

int run_config_reference() {
  std::cout << configuration_reference(builtin_envs());
  return 0;
}

int run(int argc, char** argv) {
  CLI::App app{
      "twinrl: reinforcement learning on digital twins of warehouses, supply chains and robots"};
  app.require_subcommand(1);

  auto* envs = app.add_subcommand("envs", "List every environment with its spaces and parameters");

  BenchArguments bench_args;
  auto* bench = app.add_subcommand("bench", "Measure environment steps per second");
  bench->add_option("env", bench_args.env, "Environment id")->capture_default_str();
  bench->add_option("--num-envs", bench_args.options.num_envs, "Env copies")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  bench->add_option("--threads", bench_args.options.threads, "Worker threads")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  bench->add_option("--steps", bench_args.options.steps, "Env steps to time")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40))
      ->capture_default_str();
  bench->add_option("--mode", bench_args.mode, "sync, async, or loop (a plain loop on one thread)")
      ->check(CLI::IsMember({"sync", "async", "loop"}))
      ->capture_default_str();
  bench
      ->add_option("--batch-size", bench_args.options.batch_size,
                   "Envs per recv in async mode (default num_envs / 2)")
      ->check(CLI::NonNegativeNumber);
  bench->add_option("--seed", bench_args.options.seed, "Seed")->capture_default_str();
  bench->add_option("--param", bench_args.params, "Env parameter as key=value (repeatable)");
  bench
      ->add_option("--train", bench_args.train_config,
                   "Time the whole training loop of this config instead (steps/s, time to "
                   "--target)")
      ->check(CLI::ExistingFile);
  bench->add_option("--set", bench_args.overrides,
                    "With --train: override a config key, a.b=value (repeatable)");
  bench->add_option("--repeats", bench_args.repeats, "With --train: training runs (medians)")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  bench->add_option("--target", bench_args.target_return,
                    "With --train: the mean return whose first crossing is timed");

  std::string config_path;
  std::vector<std::string> overrides;
  auto* config = app.add_subcommand("config", "Work with experiment configs");
  config->require_subcommand(1);
  auto* check =
      config->add_subcommand("check", "Validate a config file and report the first error");
  check->add_option("file", config_path, "YAML config")->required();
  check->add_option("--set", overrides, "Override a key: a.b=value (repeatable)");
  auto* reference =
      config->add_subcommand("reference", "Print the reference of every config key (Markdown)");
  auto* parameters = config->add_subcommand(
      "parameters",
      "List the env's parameters by dotted name: value, bounds, randomized range (for "
      "env.randomize, twins and what-if)");
  parameters->add_option("file", config_path, "YAML config")->required();
  parameters->add_option("--set", overrides, "Override a key: a.b=value (repeatable)");

  TrainArguments train_args;
  auto* train = app.add_subcommand("train", "Train an agent from a YAML config into runs/<name>/");
  train->add_option("config", train_args.config, "Experiment config (YAML)")->required();
  train->add_option("--set", train_args.overrides, "Override a key: a.b=value (repeatable)");
  train->add_option("--runs-dir", train_args.runs_dir, "Where run directories go")
      ->capture_default_str();
  train->add_option("--stop-after", train_args.stop_after,
                    "Stop after this many env steps, as if interrupted (resume continues)");
  add_distributed_options(*train, train_args.distributed);

  ResumeArguments resume_args;
  auto* resume = app.add_subcommand("resume", "Continue a run from its last checkpoint");
  resume->add_option("run", resume_args.run_dir, "Run directory, e.g. runs/cartpole_ppo")
      ->required();
  resume->add_option("--stop-after", resume_args.stop_after, "Stop after this many env steps");
  add_distributed_options(*resume, resume_args.distributed);

  EvalArguments eval_args;
  auto* eval = app.add_subcommand(
      "eval", "Evaluate a policy: return and KPIs (a run's, or a baseline on a config)");
  eval->add_option("path", eval_args.path, "Run directory, or a config file for baselines")
      ->required();
  eval->add_option("--policy", eval_args.policy.name,
                   "trained, random, heuristic (the env's default baseline) or a baseline name")
      ->capture_default_str();
  eval->add_option("--episodes", eval_args.episodes, "Episodes")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  eval->add_option("--checkpoint", eval_args.checkpoint, "best or latest")
      ->check(CLI::IsMember({"best", "latest"}))
      ->capture_default_str();
  eval->add_option("--set", eval_args.overrides, "Override a config key: a.b=value (repeatable)");
  eval->add_option("--record", eval_args.record,
                   "Record the first N episodes into <run>/rollouts/eval_<policy>.jsonl")
      ->check(CLI::Range(0, 1000));

  ViewArguments view_args;
  auto* view = app.add_subcommand(
      "view", "Write the HTML player of recorded episodes (a run's report), or a video");
  view->add_option("path", view_args.path, "Run directory, or a rollout file (.jsonl)")->required();
  view->add_option("--out", view_args.out,
                   "HTML file (default: <run>/report.html, or the rollout's name with .html)");
  view->add_option("--rollout", view_args.rollout,
                   "For a run: the rollout file to show (default: the newest in rollouts/)");
  view->add_option("--mp4", view_args.mp4, "Write a video of one episode (H.264) instead");
  view->add_option("--gif", view_args.gif, "Write an animated GIF of one episode instead");
  view->add_option("--episode", view_args.episode, "The episode of the video")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  view->add_option("--width", view_args.width, "Video width in pixels")
      ->check(CLI::Range(64, 4096))
      ->capture_default_str();
  view->add_option("--fps", view_args.fps, "Video frames per second (default: real time)")
      ->check(CLI::Range(0.0, 240.0));
  view->add_option("--eval-episodes", view_args.eval_episodes,
                   "Episodes per policy (trained, random, baselines) for a run's report; 0: none")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();

  ExportOptions export_options;
  std::string run_dir;
  auto* export_command = app.add_subcommand(
      "export", "Export a run's policy for a controller: TorchScript, ONNX or a C header");
  export_command->add_option("run", run_dir, "Run directory")->required();
  export_command->add_option("--format", export_options.format, "torchscript, onnx or c")
      ->check(CLI::IsMember({"torchscript", "onnx", "c"}))
      ->capture_default_str();
  export_command->add_flag("--int8", export_options.int8,
                           "int8 weights, symmetric per channel (C header only)");
  export_command->add_option("--checkpoint", export_options.checkpoint, "best or latest")
      ->check(CLI::IsMember({"best", "latest"}))
      ->capture_default_str();
  export_command->add_option("--out", export_options.out_dir, "Output directory")->required();

  TwinSynthOptions synth_options;
  TwinCalibrateOptions calibrate_options;
  TwinValidateOptions validate_options;
  auto* twin = app.add_subcommand(
      "twin",
      "Digital twins: synthesize a facility's logs, calibrate a twin from logs, validate it");
  twin->require_subcommand(1);
  auto* synth = twin->add_subcommand(
      "synth", "Write a facility's logs from a hidden truth (the twin with other parameters)");
  synth->add_option("config", synth_options.config, "Twin config (YAML with a twin: section)")
      ->required()
      ->check(CLI::ExistingFile);
  synth
      ->add_option("--truth", synth_options.truth,
                   "YAML of the true parameter values by dotted name (demand.mean: 23)")
      ->required()
      ->check(CLI::ExistingFile);
  synth
      ->add_option("--periods", synth_options.periods,
                   "Periods of logs: days for supply chains (default 730), control steps for "
                   "arms (default 1500: 60 s at 25 Hz) and warehouses (default: one week)")
      ->check(CLI::Range(int64_t{1}, int64_t{10000000}));
  synth->add_option("--policy", synth_options.policy,
                    "The facility's policy: a baseline of the env or a run directory (its best "
                    "checkpoint); arms also steps or chirp (excitations); default: "
                    "twin.logged_policy (arms: steps)");
  synth->add_option("--seed", synth_options.seed, "Seed (default: the config's)");
  synth->add_option("--out", synth_options.out, "Logs directory (arm twins: the log's .csv file)")
      ->required();
  synth->add_option("--set", synth_options.overrides, "Override a config key: a.b=value");
  auto* calibrate = twin->add_subcommand(
      "calibrate",
      "Fit the twin's parameters to logs: writes the calibrated config and a fidelity report "
      "(.report.html, .report.json) beside it");
  calibrate->add_option("config", calibrate_options.config, "Twin config")
      ->required()
      ->check(CLI::ExistingFile);
  calibrate->add_option("--logs", calibrate_options.logs, "Logs directory")
      ->required()
      ->check(CLI::ExistingDirectory);
  calibrate->add_option("--out", calibrate_options.out, "Calibrated config (YAML)")->required();
  calibrate
      ->add_option("--truth", calibrate_options.truth,
                   "For synthetic logs: the truth, shown against the estimates")
      ->check(CLI::ExistingFile);
  calibrate->add_option("--set", calibrate_options.overrides, "Override a config key: a.b=value");
  auto* validate = twin->add_subcommand(
      "validate", "Measure a twin's fidelity on logs (e.g. held-out logs the fit never saw)");
  validate->add_option("config", validate_options.config, "Twin config (e.g. calibrated)")
      ->required()
      ->check(CLI::ExistingFile);
  validate->add_option("--logs", validate_options.logs, "Logs directory")
      ->required()
      ->check(CLI::ExistingDirectory);
  validate->add_option("--out", validate_options.out,
                       "Report (.html, .json beside; default: <config>.validation.html)");
  validate->add_option("--set", validate_options.overrides, "Override a config key: a.b=value");

  // What `twin whatif` and `compare` share: the policies and how they are run.
  const auto add_comparison_options = [](CLI::App* command, WhatIfOptions& options,
                                         const std::string& default_report) {
    command->add_option("--policy", options.policies,
                        "A baseline of the env, random, or a run directory (repeatable; the first "
                        "is the reference; default: the env's baselines)");
    command->add_option("--episodes", options.episodes, "Episodes per policy and scenario")
        ->check(CLI::Range(2, 1000000))
        ->capture_default_str();
    command->add_option("--seed", options.seed, "Seed (default: the config's)");
    command->add_option("--out", options.out,
                        "Report (.html, .json beside; default: " + default_report + ")");
    command->add_option("--set", options.overrides, "Override a config key: a.b=value");
  };

  WhatIfOptions whatif_options;
  auto* whatif = twin->add_subcommand(
      "whatif",
      "Run every policy on every scenario of parameter changes on common random numbers: KPI "
      "tables with paired confidence intervals, charts (.report.html, .report.json)");
  whatif->add_option("config", whatif_options.config, "Config (a twin or any other)")
      ->required()
      ->check(CLI::ExistingFile);
  whatif
      ->add_option("--scenarios", whatif_options.scenarios,
                   "YAML of named scenarios: {scenarios: {name: {parameter: value, x1.5 or "
                   "+3}}}")
      ->required()
      ->check(CLI::ExistingFile);
  add_comparison_options(whatif, whatif_options, "<scenarios>.report.html");

  WhatIfOptions compare_options;
  auto* compare = app.add_subcommand(
      "compare",
      "Evaluate policies on common random numbers (the same seeded episodes): each KPI's mean "
      "with the paired 95% confidence interval of its difference to the first policy "
      "(<config>.compare.html, .json)");
  compare->add_option("config", compare_options.config, "Config")
      ->required()
      ->check(CLI::ExistingFile);
  add_comparison_options(compare, compare_options, "<config name>.compare.html");

  // CLI11 answers a misspelled command with "A subcommand is required".
  if (argc >= 2 && argv[1][0] != '-') {
    std::vector<std::string> commands;
    for (const CLI::App* command : app.get_subcommands({})) commands.push_back(command->get_name());
    if (std::ranges::find(commands, argv[1]) == commands.end()) {
      std::string message = "unknown command '" + std::string(argv[1]) + "'";
      if (const auto close = closest_match(argv[1], commands))
        message += "; did you mean '" + *close + "'?";
      std::cerr << "error: " << message << " (`twinrl --help` lists the commands)\n";
      return kExitBadInput;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : kExitBadInput;
  }

  try {
    if (*envs) return run_envs();
    if (*bench) return run_bench(bench_args);
    if (*check) return run_config_check(config_path, overrides);
    if (*reference) return run_config_reference();
    if (*parameters) return run_config_parameters(config_path, overrides);
    const std::vector<std::string> arguments(argv + 1, argv + argc);
    if (*train) return run_train(train_args, arguments);
    if (*resume) return run_resume(resume_args, arguments);
    if (*eval) return run_eval(eval_args);
    if (*view) return run_view(view_args);
    if (*export_command) return run_export(run_dir, export_options);
    if (*synth) twin_synth(synth_options);
    if (*calibrate) twin_calibrate(calibrate_options);
    if (*validate) twin_validate(validate_options);
    if (*whatif) twin_whatif(whatif_options);
    if (*compare) twin_whatif(compare_options);
  } catch (const ConfigError& error) {
    std::cerr << "error: " << error.what() << "\n";
    return kExitBadInput;
  } catch (const RolloutError& error) {
    std::cerr << "error: " << error.what() << "\n";
    return kExitBadInput;
  } catch (const std::invalid_argument& error) {
    std::cerr << "error: " << error.what() << "\n";
    return kExitBadInput;
  } catch (const std::bad_alloc&) {
    std::cerr << "error: out of memory (is a size in the config, such as a map, a network or "
                 "num_envs, larger than this machine holds?)\n";
    return kExitFailure;
  } catch (const std::exception& error) {
    // LibTorch's errors carry a C++ backtrace ("frame #0: ...") after their
    // message: the message is what a user can act on.
    std::string message = error.what();
    message = message.substr(0, message.find("\nframe #"));
    if (message.find("can't allocate memory") != std::string::npos)
      message +=
          " (out of memory: num_envs times rollout_steps, or a buffer size, is larger "
          "than this machine holds)";
    std::cerr << "error: " << message << "\n";
    return kExitFailure;
  }
  return 0;
}

}  // namespace
}  // namespace twinrl

int main(int argc, char** argv) {
  return twinrl::run(argc, argv);
}

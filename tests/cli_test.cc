// End-to-end tests of the `twinrl` command: exit codes and messages.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>
#include <vector>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/command_line.h"
#include "tests/learning_rows.h"

namespace {

using twinrl::test_support::learning_rows;
using twinrl::test_support::Outcome;
using twinrl::test_support::source_path;

Outcome twinrl(const std::string& arguments) {
  return twinrl::test_support::run_program(TWINRL_BINARY, arguments);
}

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("twinrl_cli_test_" + name);
  std::ofstream(path) << text;
  return path.string();
}

TEST(CliTest, EnvsListsCartPoleWithItsSpaces) {
  const Outcome result = twinrl("envs");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("## CartPole"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("Discrete(2)"), std::string::npos) << result.output;
}

TEST(CliTest, BenchPrintsStepsPerSecondInEveryMode) {
  for (const char* mode : {"sync", "async", "loop"}) {
    const Outcome result =
        twinrl(std::string("bench CartPole --num-envs 8 --threads 2 --steps 2000 --mode ") + mode);
    EXPECT_EQ(result.exit_code, 0) << result.output;
    EXPECT_NE(result.output.find("steps/s"), std::string::npos) << result.output;
  }
}

TEST(CliTest, BenchTrainTimesTheWholeTrainingLoop) {
  const Outcome result = twinrl("bench --train " + source_path("configs/cartpole_ppo.yaml") +
                                " --set agent.total_steps=2048 --repeats 2 --target 15");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  // Two runs and their median, each with 2048 steps; random CartPole
  // policies average about 20, so the target is reached in the first update.
  EXPECT_NE(result.output.find("| 1 | 2048 |"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("| 2 | 2048 |"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("| median | 2048 |"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find("not reached"), std::string::npos) << result.output;
  EXPECT_EQ(twinrl("bench --train " + source_path("configs/cartpole_ppo.yaml") +
                   " --set agent.ppo.epochs=0")
                .exit_code,
            2);
}

TEST(CliTest, BenchRejectsUnknownEnvsAndBadParameters) {
  Outcome result = twinrl("bench CartPol --steps 10");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("did you mean 'CartPole'?"), std::string::npos) << result.output;
  result = twinrl("bench CartPole --steps 10 --param gravity=abc");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("--param gravity=abc: gravity:"), std::string::npos)
      << result.output;
  result = twinrl("bench CartPole --num-envs 0");
  EXPECT_EQ(result.exit_code, 2) << result.output;
}

TEST(CliTest, ConfigCheckAcceptsTheShippedConfigs) {
  for (const auto& entry : std::filesystem::directory_iterator(source_path("configs"))) {
    if (entry.path().extension() != ".yaml") continue;
    const Outcome result = twinrl("config check " + entry.path().string());
    EXPECT_EQ(result.exit_code, 0) << entry.path() << ": " << result.output;
    EXPECT_NE(result.output.find(": ok"), std::string::npos) << result.output;
  }
}

TEST(CliTest, ConfigCheckLocatesErrorsAndExitsWithTwo) {
  const std::string path = write_temp("bad.yaml", "seed: 1\nenv:\n  id: CartPole\n  num_env: 4\n");
  Outcome result = twinrl("config check " + path);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find(path + ":4:3"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("did you mean 'num_envs'?"), std::string::npos) << result.output;

  const std::string params = write_temp("params.yaml", "env:\n  params:\n    force: -1\n");
  result = twinrl("config check " + params);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find(params + ":3:12: env.params.force"), std::string::npos)
      << result.output;

  const std::string good = write_temp("good.yaml", "env:\n  num_envs: 4\n");
  result = twinrl("config check " + good + " --set env.threads=zero");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("--set env.threads=zero"), std::string::npos) << result.output;
  EXPECT_EQ(twinrl("config check " + good + " --set env.threads=2").exit_code, 0);

  result = twinrl("config check /nonexistent/run.yaml");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("/nonexistent/run.yaml"), std::string::npos) << result.output;
}

TEST(CliTest, ARunKilledMidwayResumesFromItsLastCheckpoint) {
  namespace fs = std::filesystem;
  const fs::path runs = fs::temp_directory_path() / "twinrl_cli_test_kill";
  fs::remove_all(runs);
  const fs::path run = runs / "cartpole_ppo";
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    freopen("/dev/null", "w", stdout);
    execl(TWINRL_BINARY, TWINRL_BINARY, "train", source_path("configs/cartpole_ppo.yaml").c_str(),
          "--runs-dir", runs.c_str(), "--set", "agent.total_steps=200000", "--set",
          "agent.checkpoint_every=8192", static_cast<char*>(nullptr));
    _exit(127);
  }
  // Kill it once a checkpoint exists and training has gone on past it.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!fs::exists(run / "checkpoints" / "latest.pt") &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(fs::exists(run / "checkpoints" / "latest.pt"));
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run ended before it could be killed";

  const Outcome resumed = twinrl("resume " + run.string());
  EXPECT_EQ(resumed.exit_code, 0) << resumed.output;
  // The metrics go on from the checkpoint: steps strictly increase to the end.
  std::ifstream csv(run / "metrics.csv");
  std::string line;
  std::getline(csv, line);
  long previous = 0;
  while (std::getline(csv, line)) {
    const long step = std::stol(line.substr(0, line.find(',')));
    EXPECT_GT(step, previous) << line;
    previous = step;
  }
  EXPECT_GE(previous, 200000);
  const Outcome evaluated = twinrl("eval " + run.string() + " --episodes 5 --checkpoint latest");
  EXPECT_EQ(evaluated.exit_code, 0) << evaluated.output;
  EXPECT_NE(evaluated.output.find("5 episodes"), std::string::npos) << evaluated.output;
  fs::remove_all(runs);
}

TEST(CliTest, KilledAtRandomPointsAndResumedARunLearnsExactlyAsIfNeverKilled) {
  namespace fs = std::filesystem;
  const fs::path runs =
      fs::temp_directory_path() / ("twinrl_cli_test_kills_" + std::to_string(::getpid()));
  fs::remove_all(runs);
  const std::string config = source_path("configs/cartpole_ppo.yaml");
  // Long enough (about 0.5 s of training) that most kills land in training.
  const std::string budget = " --set agent.total_steps=65536 --set agent.checkpoint_every=4096";
  ASSERT_EQ(
      twinrl("train " + config + " --runs-dir " + (runs / "whole").string() + budget).exit_code, 0);
  const fs::path killed = runs / "killed" / "cartpole_ppo";
  // Kills after random delays (some before the config or any checkpoint is
  // written, some during a checkpoint's write), each followed by a resume (or
  // the training again, as a user would, when no config.yaml was written).
  std::mt19937 random(7);
  int kills = 0;
  for (int attempt = 0; attempt < 12; ++attempt) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      freopen("/dev/null", "w", stdout);
      freopen("/dev/null", "w", stderr);
      const std::string runs_dir = (runs / "killed").string(), run_dir = killed.string();
      // Killed before it wrote its config, a run is trained again; after, resumed.
      if (!fs::exists(killed / "config.yaml"))
        execl(TWINRL_BINARY, TWINRL_BINARY, "train", config.c_str(), "--runs-dir", runs_dir.c_str(),
              "--set", "agent.total_steps=65536", "--set", "agent.checkpoint_every=4096",
              static_cast<char*>(nullptr));
      else
        execl(TWINRL_BINARY, TWINRL_BINARY, "resume", run_dir.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(50, 900)(random)));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) break;
    ++kills;
  }
  // Whatever is left to do.
  const Outcome finished =
      twinrl(fs::exists(killed / "config.yaml")
                 ? "resume " + killed.string()
                 : "train " + config + " --runs-dir " + (runs / "killed").string() + budget);
  EXPECT_EQ(finished.exit_code, 0) << finished.output;
  EXPECT_GE(kills, 2);
  const std::vector<std::string> whole = learning_rows(runs / "whole" / "cartpole_ppo");
  EXPECT_EQ(learning_rows(killed), whole);
  EXPECT_GE(whole.size(), 4u);
  fs::remove_all(runs);
}

TEST(CliTest, AFullDiskDuringACheckpointIsAnErrorThatKeepsTheLastOne) {
  const std::filesystem::path runs =
      std::filesystem::temp_directory_path() / "twinrl_cli_full_disk";
  std::filesystem::remove_all(runs);
  const std::filesystem::path run = runs / "full";
  ASSERT_EQ(twinrl("train " + source_path("configs/cartpole_ppo.yaml") +
                   " --set agent.total_steps=4096 --set agent.checkpoint_every=512"
                   " --set name=full --stop-after 512 --runs-dir " +
                   runs.string())
                .exit_code,
            0);
  const std::filesystem::path checkpoint = run / "checkpoints" / "latest.pt";
  std::ifstream before_file(checkpoint, std::ios::binary);
  const std::string before{std::istreambuf_iterator<char>(before_file), {}};
  // A file-size limit below a checkpoint's size: writing the next one fails
  // with EFBIG, as on a full disk.
  const Outcome full = twinrl::test_support::run_program("bash -c \"trap '' XFSZ; ulimit -f " +
                                                             std::to_string(before.size() / 2048) +
                                                             "; exec " + TWINRL_BINARY,
                                                         "resume " + run.string() + "\"");
  EXPECT_EQ(full.exit_code, 1) << full.output;
  EXPECT_NE(
      full.output.find("error: writing '" + checkpoint.string() + "' failed (it is unchanged)"),
      std::string::npos)
      << full.output;
  EXPECT_EQ(full.output.find("terminate called"), std::string::npos) << full.output;
  std::ifstream after_file(checkpoint, std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(after_file), {}), before);
  for (const auto& entry : std::filesystem::directory_iterator(run / "checkpoints"))
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << entry.path();
  // With room again, the run resumes from the checkpoint that was kept.
  EXPECT_EQ(twinrl("resume " + run.string()).exit_code, 0);
  std::filesystem::remove_all(runs);
}

TEST(CliTest, EvalRunsUntrainedPoliciesOnAConfig) {
  const std::string config = source_path("configs/cartpole_ppo.yaml");
  const Outcome random = twinrl("eval " + config + " --policy random --episodes 50");
  EXPECT_EQ(random.exit_code, 0) << random.output;
  // A random CartPole policy lasts about 22 steps.
  const size_t at = random.output.find("return ");
  ASSERT_NE(at, std::string::npos) << random.output;
  const double mean_return = std::stod(random.output.substr(at + 7));
  EXPECT_GT(mean_return, 12) << random.output;
  EXPECT_LT(mean_return, 40) << random.output;

  const Outcome untrained = twinrl("eval " + config);
  EXPECT_EQ(untrained.exit_code, 2);
  EXPECT_NE(untrained.output.find("train it first"), std::string::npos) << untrained.output;
  const Outcome no_baseline = twinrl("eval " + config + " --policy heuristic");
  EXPECT_EQ(no_baseline.exit_code, 2);
  EXPECT_NE(no_baseline.output.find("choose one of: trained random"), std::string::npos)
      << no_baseline.output;
}

TEST(CliTest, ExportRefusesBadRequests) {
  // A path that is no run directory is bad input.
  Outcome result = twinrl("export /nonexistent/run --format c --out /tmp/twinrl_cli_export");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("is not a run directory"), std::string::npos) << result.output;
  result = twinrl("export /nonexistent/run --format tflite --out /tmp/twinrl_cli_export");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("tflite"), std::string::npos) << result.output;
}

TEST(CliTest, TrainRefusesBadAgentSettings) {
  const std::string path =
      write_temp("agent.yaml", "env:\n  id: CartPole\nagent:\n  algorithm: sac\n");
  Outcome result = twinrl("train " + path);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find(path + ":4:14: agent.algorithm"), std::string::npos)
      << result.output;
  result =
      twinrl("train " + source_path("configs/cartpole_ppo.yaml") + " --set agent.ppo.epochs=0");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("agent.ppo.epochs"), std::string::npos) << result.output;
  result = twinrl("resume /nonexistent/run");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("not a run directory"), std::string::npos) << result.output;
}

TEST(CliTest, ConfigParametersListsNamesValuesBoundsAndDraws) {
  const std::string config = source_path("configs/twins/supply_chain_retailer.yaml");
  Outcome result =
      twinrl("config parameters " + config +
             " --set env.params.demand.mean=25 --set env.randomize.demand.dispersion=[4,6]");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  for (const char* line : {"demand.mean  ", "stages.lead_time[1]", "raw_material_cost"})
    EXPECT_NE(result.output.find(line), std::string::npos) << line << " in\n" << result.output;
  EXPECT_NE(result.output.find("[2, 3]"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("[4, 6]"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find(" 25 real"), std::string::npos) << result.output;
  result = twinrl("config parameters " + config + " --set env.randomize.demand.men=[1,2]");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("did you mean 'demand.mean'?"), std::string::npos) << result.output;
}

TEST(CliTest, TheConfigurationReferenceIsUpToDate) {
  const Outcome result = twinrl("config reference");
  EXPECT_EQ(result.exit_code, 0);
  std::ifstream file(source_path("docs/configuration.md"));
  const std::string committed{std::istreambuf_iterator<char>(file), {}};
  EXPECT_EQ(result.output, committed)
      << "regenerate it: twinrl config reference > docs/configuration.md";
  EXPECT_NE(committed.find("ppo.clip_coef"), std::string::npos);
  EXPECT_NE(committed.find("pole_half_length"), std::string::npos);
}

TEST(CliTest, UnknownCommandsExitWithTwo) {
  EXPECT_EQ(twinrl("frobnicate").exit_code, 2);
  const Outcome misspelled = twinrl("trian configs/cartpole_ppo.yaml");
  EXPECT_EQ(misspelled.exit_code, 2);
  EXPECT_NE(misspelled.output.find("unknown command 'trian'; did you mean 'train'?"),
            std::string::npos)
      << misspelled.output;
  EXPECT_EQ(twinrl("").exit_code, 2);
  EXPECT_EQ(twinrl("--help").exit_code, 0);
}

}  // namespace

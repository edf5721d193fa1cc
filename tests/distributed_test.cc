// Data-parallel training over c10d/Gloo, as users start it: `--nproc` and
// ranks started by hand with RANK/WORLD_SIZE, all on loopback with free ports.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <torch/nn/modules/linear.h>

#include "agents/actor_critic.h"
#include "agents/checkpoint_file.h"
#include "agents/data_parallel.h"
#include "agents/distributed/communicator.h"
#include "agents/distributed/local_launch.h"
#include "agents/training_session.h"
#include "tests/command_line.h"
#include "tests/learning_rows.h"
#include "tests/temp_dir_test.h"

namespace twinrl {
namespace {

using test_support::learning_rows;
using test_support::Outcome;
using test_support::source_path;

Outcome twinrl(const std::string& arguments) {
  return test_support::run_program(TWINRL_BINARY, arguments);
}

// CartPole with a small budget; 8 envs x 32 steps per rank and update, a
// checkpoint (and so a comparison of every rank's parameters) every update
// of two ranks.
std::string cartpole(const std::filesystem::path& runs, int64_t total_steps = 4096) {
  return source_path("configs/cartpole_ppo.yaml") + " --runs-dir " + runs.string() +
         " --set agent.total_steps=" + std::to_string(total_steps) +
         " --set agent.checkpoint_every=512";
}

// Ranks of one run started by hand, as on several machines.
struct ManualRank {
  pid_t pid;
  std::filesystem::path log;
};

ManualRank start_rank(int rank, int world_size, int port, const std::string& arguments,
                      const std::filesystem::path& log) {
  const std::string command =
      "WORLD_SIZE=" + std::to_string(world_size) + " RANK=" + std::to_string(rank) +
      " MASTER_ADDR=127.0.0.1 MASTER_PORT=" + std::to_string(port) + " exec " + TWINRL_BINARY +
      " " + arguments + " > " + log.string() + " 2>&1";
  const pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // no rank outlives a failed test
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return {pid, log};
}

// The exit code of `rank` if it ends within `timeout`, else -1 (and kills it).
int wait_rank(const ManualRank& rank, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (waitpid(rank.pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(rank.pid, SIGKILL);
      waitpid(rank.pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string contents(const std::filesystem::path& path) {
  std::ifstream file(path);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

class DistributedTest : public test_support::TempDirTest {};

TEST_F(DistributedTest, RanksInThreadsSumGatherAndBroadcastAlike) {
  const int port = free_loopback_port();
  std::vector<torch::Tensor> sums(3), broadcasts(3);
  std::vector<std::vector<std::string>> gathered(3);
  auto rank = [&](int r) {
    Communicator communicator({.rank = r, .world_size = 3, .master_port = port}, "same config");
    torch::Tensor values = torch::full({5}, 0.1f * static_cast<float>(r + 1));
    communicator.sum(values, "test sum");
    sums[r] = values;
    std::vector<torch::Tensor> tensors{torch::full({2}, static_cast<float>(r))};
    communicator.broadcast(tensors, "test broadcast");
    broadcasts[r] = tensors[0];
    gathered[r] = communicator.all_gather_bytes(std::string(static_cast<size_t>(r), 'x'), "bytes");
  };
  std::vector<std::thread> threads;
  for (int r = 0; r < 3; ++r) threads.emplace_back(rank, r);
  for (auto& thread : threads) thread.join();
  for (int r = 0; r < 3; ++r) {
    EXPECT_TRUE(sums[r].equal(sums[0])) << "every rank gets the same bits";
    EXPECT_NEAR(sums[r][0].item<float>(), 0.6f, 1e-6);
    EXPECT_TRUE(broadcasts[r].equal(torch::zeros({2})));
    EXPECT_EQ(gathered[r], (std::vector<std::string>{"", "x", "xx"}));
  }
}

TEST_F(DistributedTest, DifferentParametersOnTwoRanksAreCaught) {
  const int port = free_loopback_port();
  std::vector<std::string> errors(2);
  auto rank = [&](int r) {
    Communicator communicator({.rank = r, .world_size = 2, .master_port = port}, "config");
    DataParallel parallel(&communicator);
    torch::nn::Linear layer(3, 2);
    torch::NoGradGuard no_grad;
    layer->weight.fill_(r == 0 ? 1.0f : 1.0f + 1.2e-7f);  // one float step apart
    layer->bias.fill_(0.0f);
    try {
      parallel.check_replicas(*layer);
    } catch (const DistributedError& error) {
      errors[r] = error.what();
    }
    parallel.broadcast(*layer);  // rank 0's, everywhere: now they agree
    parallel.check_replicas(*layer);
  };
  std::thread one(rank, 1);
  rank(0);
  one.join();
  for (const std::string& error : errors)
    EXPECT_NE(error.find("rank 1's parameters differ from rank 0's"), std::string::npos) << error;
}

TEST_F(DistributedTest, TwoRanksTrainTheSameCurveTwiceAndAgreeAfterEveryUpdate) {
  // A checkpoint every update compares every rank's parameters bit for bit
  // (check_replicas): a run that diverged would exit 1.
  const Outcome first = twinrl("train " + cartpole(dir_ / "a") + " --nproc 2");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  const Outcome second = twinrl("train " + cartpole(dir_ / "b") + " --nproc 2");
  ASSERT_EQ(second.exit_code, 0) << second.output;
  const auto rows = learning_rows(dir_ / "a" / "cartpole_ppo");
  EXPECT_EQ(rows.size(), 8u) << "one row per update of 2 x 8 envs x 32 steps";
  EXPECT_EQ(rows, learning_rows(dir_ / "b" / "cartpole_ppo"));
  // Both ranks' episodes count: 2 x 8 envs of CartPole end many episodes.
  EXPECT_NE(first.output.find("2 processes"), std::string::npos) << first.output;
  // The run is like any other: eval and export read it.
  const Outcome evaluated = twinrl("eval " + (dir_ / "a" / "cartpole_ppo").string() +
                                   " --episodes 3 --checkpoint latest");
  EXPECT_EQ(evaluated.exit_code, 0) << evaluated.output;
}

TEST_F(DistributedTest, ThreeRanksKeepOneModelAndEachItsOwnEnvs) {
  const Outcome run = twinrl("train " + cartpole(dir_, 3072) + " --nproc 3");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  read_checkpoint_file(
      dir_ / "cartpole_ppo" / "checkpoints" / "latest.pt",
      [](torch::serialize::InputArchive& archive) {
        EXPECT_EQ(read_tensor(archive, "distributed/world_size").item<int64_t>(), 3);
        std::vector<torch::Tensor> parts;
        for (int r = 0; r < 3; ++r)
          parts.push_back(read_tensor(archive, "distributed/rank_" + std::to_string(r)));
        // Each rank's envs drew from their own streams.
        EXPECT_FALSE(parts[0].equal(parts[1]));
        EXPECT_FALSE(parts[1].equal(parts[2]));
      });
}

TEST_F(DistributedTest, AResumedRunFollowsTheUninterruptedCurve) {
  const Outcome whole = twinrl("train " + cartpole(dir_ / "whole") + " --nproc 2");
  ASSERT_EQ(whole.exit_code, 0) << whole.output;
  const Outcome part = twinrl("train " + cartpole(dir_ / "parts") + " --nproc 2 --stop-after 2048");
  ASSERT_EQ(part.exit_code, 0) << part.output;
  const std::string run = (dir_ / "parts" / "cartpole_ppo").string();
  const Outcome alone = twinrl("resume " + run);
  EXPECT_EQ(alone.exit_code, 2) << alone.output;
  EXPECT_NE(alone.output.find("resume it with --nproc 2"), std::string::npos) << alone.output;
  const Outcome rest = twinrl("resume " + run + " --nproc 2");
  ASSERT_EQ(rest.exit_code, 0) << rest.output;
  EXPECT_EQ(learning_rows(dir_ / "whole" / "cartpole_ppo"), learning_rows(run));
}

TEST_F(DistributedTest, AKilledRankMakesTheOtherExitWithAMessage) {
  const int port = free_loopback_port();
  const std::string arguments = "train " + cartpole(dir_, 10000000) + " --dist-timeout 20";
  const ManualRank zero = start_rank(0, 2, port, arguments, dir_ / "rank0.log");
  const ManualRank one = start_rank(1, 2, port, arguments, dir_ / "rank1.log");
  // Once training is under way (a metrics row), rank 1 dies.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (learning_rows(dir_ / "cartpole_ppo").empty() &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  kill(one.pid, SIGKILL);
  wait_rank(one, std::chrono::seconds(5));
  EXPECT_EQ(wait_rank(zero, std::chrono::seconds(60)), 1);
  const std::string log = contents(zero.log);
  EXPECT_NE(log.find("error: rank 0 of 2:"), std::string::npos) << log;
  EXPECT_NE(log.find("another rank exited"), std::string::npos) << log;
}

TEST_F(DistributedTest, TheLauncherStopsEveryRankWhenOneDies) {
  const pid_t launcher = fork();
  if (launcher == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // and its ranks die with it
    const std::string log = (dir_ / "launcher.log").string();
    freopen(log.c_str(), "w", stdout);
    freopen(log.c_str(), "a", stderr);
    const std::string config = source_path("configs/cartpole_ppo.yaml");
    const std::string runs = dir_.string();
    execl(TWINRL_BINARY, TWINRL_BINARY, "train", config.c_str(), "--runs-dir", runs.c_str(),
          "--set", "agent.total_steps=10000000", "--nproc", "2", static_cast<char*>(nullptr));
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (learning_rows(dir_ / "cartpole_ppo").empty() &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  // Kill one of the launcher's ranks.
  const Outcome children = test_support::run_program("pgrep", "-P " + std::to_string(launcher));
  ASSERT_EQ(children.exit_code, 0) << children.output;
  const pid_t rank = std::stoi(children.output);
  kill(rank, SIGKILL);
  const int code = wait_rank({launcher, {}}, std::chrono::seconds(60));
  EXPECT_EQ(code, 1);
  const std::string log = contents(dir_ / "launcher.log");
  EXPECT_NE(log.find("was killed by signal 9"), std::string::npos) << log;
  EXPECT_EQ(test_support::run_program("pgrep", "-P " + std::to_string(launcher)).exit_code, 1)
      << "no rank outlives the launcher";
}

TEST_F(DistributedTest, BadLaunchesAreClearErrors) {
  const std::string config = cartpole(dir_);
  Outcome outcome = twinrl("train " + config + " --nproc 0");
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_NE(outcome.output.find("--nproc must be at least 1"), std::string::npos) << outcome.output;
  outcome = twinrl("train " + config + " --nproc 2 --rank 1");
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_NE(outcome.output.find("--nproc starts its own ranks"), std::string::npos)
      << outcome.output;
  outcome = test_support::run_program("WORLD_SIZE=2 RANK=2 " TWINRL_BINARY, "train " + config);
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_NE(outcome.output.find("rank 2 is outside the world of 2 processes"), std::string::npos)
      << outcome.output;
  outcome = test_support::run_program("WORLD_SIZE=two " TWINRL_BINARY, "train " + config);
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_NE(outcome.output.find("WORLD_SIZE='two'"), std::string::npos) << outcome.output;
  outcome = twinrl("train " + source_path("configs/cartpole_dqn.yaml") + " --nproc 2");
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_NE(outcome.output.find("dqn trains on one process only"), std::string::npos)
      << outcome.output;

  // A missing peer: rank 0 alone gives up after the timeout.
  const int port = free_loopback_port();
  outcome = test_support::run_program(
      "WORLD_SIZE=2 RANK=0 MASTER_PORT=" + std::to_string(port) + " " TWINRL_BINARY,
      "train " + config + " --dist-timeout 2");
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_NE(outcome.output.find("rank 1 to join"), std::string::npos) << outcome.output;

  // Two ranks of different configs both stop, naming the cause.
  const int other_port = free_loopback_port();
  const ManualRank zero =
      start_rank(0, 2, other_port, "train " + config + " --dist-timeout 20", dir_ / "zero.log");
  const ManualRank one = start_rank(
      1, 2, other_port, "train " + config + " --set agent.ppo.epochs=3 --dist-timeout 20",
      dir_ / "one.log");
  EXPECT_EQ(wait_rank(zero, std::chrono::seconds(60)), 1);
  EXPECT_EQ(wait_rank(one, std::chrono::seconds(60)), 1);
  for (const auto& log : {zero.log, one.log})
    EXPECT_NE(contents(log).find("was started with another config"), std::string::npos)
        << contents(log);
}

}  // namespace
}  // namespace twinrl

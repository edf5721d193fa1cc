// End-to-end tests of the `twinrl` command: exit codes and messages.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

struct Outcome {
  int exit_code;
  std::string output;  // stdout and stderr together
};

Outcome twinrl(const std::string& arguments) {
  const std::string command = std::string(TWINRL_BINARY) + " " + arguments + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  std::string output;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

std::string source_path(const std::string& relative) {
  const char* root = std::getenv("TWINRL_SOURCE_DIR");
  return std::string(root ? root : ".") + "/" + relative;
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

TEST(CliTest, BenchRejectsUnknownEnvsAndBadParameters) {
  Outcome result = twinrl("bench CartPol --steps 10");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("did you mean 'CartPole'?"), std::string::npos) << result.output;
  result = twinrl("bench CartPole --steps 10 --param gravity=abc");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("--set gravity=abc"), std::string::npos) << result.output;
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

TEST(CliTest, UnknownCommandsExitWithTwo) {
  EXPECT_EQ(twinrl("frobnicate").exit_code, 2);
  EXPECT_EQ(twinrl("").exit_code, 2);
  EXPECT_EQ(twinrl("--help").exit_code, 0);
}

}  // namespace

// Every export format gives the training policy's actions: TorchScript through
// torch::jit::load, the C header compiled with gcc, ONNX in onnxruntime-web.
#include "agents/export/policy_export.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <torch/script.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "agents/export/c_header.h"
#include "agents/policy_checkpoint.h"
#include "agents/train.h"
#include "core/vec_env.h"
#include "envs/builtin_envs.h"
#include "rundir/atomic_file.h"

namespace twinrl {
namespace {

namespace fs = std::filesystem;

fs::path source_path(const std::string& relative) {
  const char* root = std::getenv("TWINRL_SOURCE_DIR");
  return fs::path(root ? root : ".") / relative;
}

int run_command(const std::string& command) {
  return std::system(command.c_str());
}

// Runs `model` in onnxruntime-web under Node on `input` read as [rows,
// columns]: its exit status, stdout (the output tensor as JSON) and stderr.
struct NodeRun {
  int status;
  std::string output;
  std::string errors;
};
std::string tensor_bytes(const torch::Tensor& tensor) {
  const torch::Tensor contiguous = tensor.contiguous();
  return {static_cast<const char*>(contiguous.data_ptr()),
          static_cast<size_t>(contiguous.numel() * contiguous.element_size())};
}
// `mask`, when given, is fed as the model's action mask.
NodeRun run_onnx(const fs::path& model, const torch::Tensor& input, const fs::path& work_dir,
                 int64_t rows, int64_t columns, const torch::Tensor& mask = {}) {
  const fs::path input_file = work_dir / "observations.bin";
  write_file_atomically(input_file, tensor_bytes(input));
  const fs::path mask_file = work_dir / "mask.bin";
  if (mask.defined()) write_file_atomically(mask_file, tensor_bytes(mask.to(torch::kUInt8)));
  const fs::path output_file = work_dir / "onnx_output.json";
  const fs::path error_file = work_dir / "onnx_errors.txt";
  const int status =
      run_command("cd " + source_path("").string() + " && node tests/run_onnx.mjs " +
                  model.string() + " " + input_file.string() + " " + std::to_string(rows) + " " +
                  std::to_string(columns) + " " + (mask.defined() ? mask_file.string() : "") +
                  " > " + output_file.string() + " 2> " + error_file.string());
  return {status, read_file(output_file), read_file(error_file)};
}

// A C policy compiled into a program that answers observations with actions
// over pipes, so that C++ can drive episodes with it. With `masked`, each
// observation is followed by an action mask, and policy_act_masked answers.
class CPolicyProcess {
 public:
  CPolicyProcess(const fs::path& header, const fs::path& work_dir, bool masked = false)
      : program_(work_dir / (header.stem().string() + "_server")) {
    const fs::path source = work_dir / (header.stem().string() + "_server.c");
    write_file_atomically(source, "#include \"" + header.string() + "\"\n" + R"(
#include <stdio.h>
int main(void) {
  float observation[POLICY_OBSERVATION_SIZE], action[POLICY_ACTION_SIZE];
  while (fread(observation, sizeof observation, 1, stdin) == 1) {
#ifdef MASKED
    unsigned char mask[POLICY_MASK_SIZE];
    if (fread(mask, sizeof mask, 1, stdin) != 1) return 1;
    policy_act_masked(observation, mask, action);
#else
    policy_act(observation, action);
#endif
    fwrite(action, sizeof action, 1, stdout);
    fflush(stdout);
  }
  return 0;
}
)");
    // The strict flags the issue names: the header must be clean C99.
    const std::string compile = "gcc -std=c99 -Wall -Wextra -Werror -pedantic -O2 " +
                                std::string(masked ? "-DMASKED " : "") + "-o " + program_.string() +
                                " " + source.string() + " -lm";
    compiled_ = run_command(compile) == 0;
    if (!compiled_) return;
    int to_child[2], from_child[2];
    if (pipe(to_child) != 0 || pipe(from_child) != 0) throw std::runtime_error("pipe failed");
    child_ = fork();
    if (child_ == 0) {
      dup2(to_child[0], 0);
      dup2(from_child[1], 1);
      close(to_child[1]);
      close(from_child[0]);
      execl(program_.c_str(), program_.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(to_child[0]);
    close(from_child[1]);
    to_ = fdopen(to_child[1], "wb");
    from_ = fdopen(from_child[0], "rb");
  }
  ~CPolicyProcess() {
    if (!compiled_) return;
    std::fclose(to_);
    std::fclose(from_);
    waitpid(child_, nullptr, 0);
  }

  bool compiled() const { return compiled_; }

  std::vector<float> act(std::span<const float> observation, size_t action_size,
                         std::span<const unsigned char> mask = {}) {
    std::fwrite(observation.data(), sizeof(float), observation.size(), to_);
    std::fwrite(mask.data(), 1, mask.size(), to_);
    std::fflush(to_);
    std::vector<float> action(action_size);
    if (std::fread(action.data(), sizeof(float), action_size, from_) != action_size)
      throw std::runtime_error("the C policy program stopped answering");
    return action;
  }

 private:
  fs::path program_;
  bool compiled_ = false;
  pid_t child_ = -1;
  FILE* to_ = nullptr;
  FILE* from_ = nullptr;
};

// One trained CartPole PPO run, exported in every format, shared by the tests.
class ExportTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    work_dir_ = fs::temp_directory_path() / "twinrl_export_test";
    fs::remove_all(work_dir_);
    experiment_ = new Experiment(load_experiment(source_path("configs/cartpole_ppo.yaml").string(),
                                                 {"name=export"}, builtin_envs()));
    train(*experiment_, {.run_dir = run_dir(), .progress = false});
    for (const std::string format : {"torchscript", "onnx", "c"})
      export_policy(run_dir(), {.format = format, .out_dir = out_dir()}, builtin_envs());
    export_policy(run_dir(), {.format = "c", .int8 = true, .out_dir = out_dir()}, builtin_envs());
  }
  static void TearDownTestSuite() {
    delete experiment_;
    fs::remove_all(work_dir_);
  }

  static fs::path run_dir() { return work_dir_ / "run"; }
  static fs::path out_dir() { return work_dir_ / "export"; }

  // Observations spread over the states CartPole visits, and beyond.
  static torch::Tensor observations(int64_t count) {
    Rng rng(2024);
    const float spread[] = {2.4f, 3.0f, 0.21f, 3.5f};
    torch::Tensor result = torch::empty({count, 4});
    for (int64_t i = 0; i < count; ++i)
      for (int64_t j = 0; j < 4; ++j)
        result[i][j] = static_cast<float>(rng.uniform(-spread[j], spread[j]));
    return result;
  }

  // The training policy's logits and deterministic actions.
  static std::pair<torch::Tensor, torch::Tensor> reference(const torch::Tensor& observations) {
    PolicyModule module = load_policy_module(*experiment_, run_dir() / "checkpoints" / "best.pt");
    ActorCritic& policy = std::get<ActorCritic>(module);
    torch::NoGradGuard no_grad;
    return {policy->actor_outputs(observations), policy->act(observations, {})};
  }

  // Where the two logits are too close for float rounding to settle the argmax.
  static torch::Tensor near_tie(const torch::Tensor& logits) {
    return (logits.select(1, 0) - logits.select(1, 1)).abs() < 1e-4;
  }

  static inline fs::path work_dir_;
  static inline Experiment* experiment_ = nullptr;
};

TEST_F(ExportTest, TorchScriptGivesTheTrainingPolicysOutputsAndActions) {
  const torch::Tensor input = observations(4000);
  const auto [logits, actions] = reference(input);
  torch::jit::Module module = torch::jit::load((out_dir() / "policy.pt").string());
  torch::NoGradGuard no_grad;
  const torch::Tensor outputs = module.run_method("outputs", input).toTensor();
  EXPECT_LT((outputs - logits).abs().max().item<float>(), 1e-5);
  const torch::Tensor exported = module.forward({input}).toTensor();
  ASSERT_EQ(exported.sizes(), actions.sizes());
  const torch::Tensor differ = (exported != actions).squeeze(1) & ~near_tie(logits);
  EXPECT_EQ(differ.sum().item<int64_t>(), 0);

  // A mask that forbids action 1 everywhere leaves action 0.
  const torch::Tensor mask = torch::tensor({true, false}).repeat({4000, 1});
  const torch::Tensor masked = module.run_method("forward_masked", input, mask).toTensor();
  EXPECT_EQ(masked.sum().item<int64_t>(), 0);
}

TEST_F(ExportTest, TorchScriptRefusesWrongShapesWithAClearError) {
  torch::jit::Module module = torch::jit::load((out_dir() / "policy.pt").string());
  try {
    module.forward({torch::zeros({2, 5})});
    FAIL() << "a [2, 5] input was accepted";
  } catch (const std::exception& error) {
    EXPECT_NE(std::string(error.what()).find("expected observations of shape [batch, 4]"),
              std::string::npos)
        << error.what();
  }
}

TEST_F(ExportTest, CHeaderCompilesStrictlyAndGivesTheTrainingPolicysActions) {
  CPolicyProcess policy(out_dir() / "policy.h", work_dir_);
  ASSERT_TRUE(policy.compiled()) << "policy.h does not compile with -std=c99 -pedantic -Werror";
  const torch::Tensor input = observations(3000);
  const auto [logits, actions] = reference(input);
  const torch::Tensor ties = near_tie(logits);
  int disagreements = 0;
  for (int64_t i = 0; i < input.size(0); ++i) {
    const std::vector<float> action =
        policy.act({input[i].data_ptr<float>(), 4}, /*action_size=*/1);
    if (action[0] != static_cast<float>(actions[i][0].item<int64_t>()) && !ties[i].item<bool>())
      ++disagreements;
  }
  EXPECT_EQ(disagreements, 0);
}

// Success: the pole stays up for the whole 500-step episode.
double success_rate(CPolicyProcess& policy, const Experiment& experiment, int episodes) {
  VecEnv envs(experiment.env_model, {.num_envs = 1, .threads = 1, .seed = 77});
  const BatchView& batch = envs.reset();
  int successes = 0;
  for (int episode = 0; episode < episodes;) {
    const std::vector<float> action = policy.act({batch.observation, 4}, 1);
    const int64_t choice = static_cast<int64_t>(action[0]);
    envs.step({nullptr, &choice});
    if (batch.episode_ended(0)) {
      successes += batch.episode_length[0] == 500;
      ++episode;
    }
  }
  return static_cast<double>(successes) / episodes;
}

TEST_F(ExportTest, Int8HeaderStaysWithinItsBoundAndKeepsTheTaskSuccess) {
  // The stated bound: every weight within half a quantization step of float.
  const ExportedPolicy exported =
      extract_policy(*experiment_, run_dir() / "checkpoints" / "best.pt");
  float largest_scale = 0;
  for (const DenseLayer& layer : exported.layers)
    for (float w : layer.weight) largest_scale = std::max(largest_scale, std::fabs(w) / 127);
  EXPECT_LE(int8_weight_error(exported), 0.5f * largest_scale + 1e-7f);

  CPolicyProcess float_policy(out_dir() / "policy.h", work_dir_);
  CPolicyProcess int8_policy(out_dir() / "policy_int8.h", work_dir_);
  ASSERT_TRUE(float_policy.compiled() && int8_policy.compiled());
  const torch::Tensor input = observations(3000);
  int agree = 0;
  for (int64_t i = 0; i < input.size(0); ++i) {
    const std::span<const float> row(input[i].data_ptr<float>(), 4);
    agree += float_policy.act(row, 1) == int8_policy.act(row, 1);
  }
  EXPECT_GE(agree, 0.97 * 3000) << agree << " of 3000 actions agree";

  const double float_success = success_rate(float_policy, *experiment_, 50);
  const double int8_success = success_rate(int8_policy, *experiment_, 50);
  EXPECT_GE(float_success, 0.8) << "the trained policy should balance the pole";
  EXPECT_LE(std::fabs(float_success - int8_success), 0.02)
      << "float " << float_success << ", int8 " << int8_success;
}

TEST_F(ExportTest, OnnxRunsInOnnxruntimeWithTheTrainingPolicysActions) {
  const torch::Tensor input = observations(2000);
  const auto [logits, actions] = reference(input);
  const NodeRun run = run_onnx(out_dir() / "policy.onnx", input, work_dir_, 2000, 4);
  ASSERT_EQ(run.status, 0) << run.errors
                           << "\n(the Node packages come from scripts/install_deps.sh)";
  const nlohmann::json result = nlohmann::json::parse(run.output);
  ASSERT_EQ(result["dims"], nlohmann::json({2000, 1}));
  const torch::Tensor ties = near_tie(logits);
  int disagreements = 0;
  for (int64_t i = 0; i < 2000; ++i)
    if (result["data"][i].get<int64_t>() != actions[i][0].item<int64_t>() && !ties[i].item<bool>())
      ++disagreements;
  EXPECT_EQ(disagreements, 0);

  // A wrong-shaped input is refused by onnxruntime with the expected shape.
  const NodeRun wrong = run_onnx(out_dir() / "policy.onnx", input, work_dir_, 1000, 8);
  EXPECT_NE(wrong.errors.find("Expected: 4"), std::string::npos) << wrong.errors;
}

TEST_F(ExportTest, MetadataDescribesSpacesNormalizerSourceAndChecksums) {
  const nlohmann::json metadata = nlohmann::json::parse(read_file(out_dir() / "policy.onnx.json"));
  EXPECT_EQ(metadata["format"], "onnx");
  EXPECT_EQ(metadata["onnx_opset"], 13);
  EXPECT_EQ(metadata["env"]["id"], "CartPole");
  EXPECT_EQ(metadata["env"]["control_period_s"], 0.02);
  EXPECT_EQ(metadata["observation"]["names"][2], "pole_angle_rad");
  EXPECT_EQ(metadata["observation"]["high"][1], "inf");
  EXPECT_EQ(metadata["action"]["choices"], nlohmann::json({2}));
  EXPECT_EQ(metadata["source"]["algorithm"], "ppo");
  EXPECT_EQ(metadata["files"]["policy.onnx"]["bytes"], fs::file_size(out_dir() / "policy.onnx"));
  EXPECT_EQ(metadata["twinrl_version"], "0.1.0");
  const nlohmann::json int8 = nlohmann::json::parse(read_file(out_dir() / "policy_int8.h.json"));
  EXPECT_GT(int8["int8"]["largest_weight_error"].get<double>(), 0);
}

// Continuous actions: the Gaussian mean clipped to the bounds, with the
// observation normalizer, on a briefly trained supply-chain policy.
TEST(ContinuousExportTest, EveryFormatGivesTheClippedMeanAction) {
  const fs::path work_dir = fs::temp_directory_path() / "twinrl_export_continuous_test";
  fs::remove_all(work_dir);
  const Experiment experiment =
      load_experiment(source_path("configs/inventory_orgym_ppo.yaml").string(),
                      {"name=continuous", "agent.total_steps=1920"}, builtin_envs());
  train(experiment, {.run_dir = work_dir / "run", .progress = false});
  for (const std::string format : {"torchscript", "onnx", "c"})
    export_policy(work_dir / "run",
                  {.format = format, .checkpoint = "latest", .out_dir = work_dir / "export"},
                  builtin_envs());
  const EnvSpec& spec = experiment.env_model->spec();
  const int64_t observation_size = spec.observation_space.size();
  const int64_t action_size = spec.action_space.size();

  // Observations from the env itself, so the normalizer sees realistic values.
  VecEnv envs(experiment.env_model, {.num_envs = 8, .threads = 1, .seed = 5});
  const BatchView& batch = envs.reset();
  std::vector<torch::Tensor> rows;
  Rng rng(9);
  std::vector<float> actions(8 * action_size);
  for (int step = 0; step < 60; ++step) {
    rows.push_back(torch::from_blob(batch.observation, {8, observation_size}).clone());
    for (float& action : actions) action = static_cast<float>(rng.uniform(-1.0, 1.0));
    envs.step({actions.data(), nullptr});
  }
  const torch::Tensor input = torch::cat(rows);
  PolicyModule module = load_policy_module(experiment, work_dir / "run/checkpoints/latest.pt");
  torch::NoGradGuard no_grad;
  const torch::Tensor expected = std::get<ActorCritic>(module)->act(input, {});

  torch::jit::Module scripted = torch::jit::load((work_dir / "export/policy.pt").string());
  EXPECT_LT((scripted.forward({input}).toTensor() - expected).abs().max().item<float>(), 1e-5);

  const fs::path header = work_dir / "export/policy.h";
  CPolicyProcess c_policy(header, work_dir);
  ASSERT_TRUE(c_policy.compiled());
  float largest_c_error = 0;
  for (int64_t i = 0; i < input.size(0); ++i) {
    const std::vector<float> action =
        c_policy.act({input[i].data_ptr<float>(), static_cast<size_t>(observation_size)},
                     static_cast<size_t>(action_size));
    for (int64_t j = 0; j < action_size; ++j)
      largest_c_error =
          std::max(largest_c_error, std::fabs(action[j] - expected[i][j].item<float>()));
  }
  EXPECT_LT(largest_c_error, 1e-5);

  const NodeRun run =
      run_onnx(work_dir / "export/policy.onnx", input, work_dir, input.size(0), observation_size);
  ASSERT_EQ(run.status, 0) << run.errors;
  const nlohmann::json result = nlohmann::json::parse(run.output);
  const torch::Tensor flat = expected.reshape({-1});
  float largest_onnx_error = 0;
  for (int64_t k = 0; k < flat.numel(); ++k)
    largest_onnx_error = std::max(
        largest_onnx_error, std::fabs(result["data"][k].get<float>() - flat[k].item<float>()));
  EXPECT_LT(largest_onnx_error, 1e-5);
  fs::remove_all(work_dir);
}

// Action masks: a briefly trained warehouse policy, whose env publishes which
// moves are allowed, run in every format on observations with their masks.
TEST(MaskedExportTest, EveryFormatChoosesTheBestAllowedAction) {
  const fs::path work_dir = fs::temp_directory_path() / "twinrl_export_masked_test";
  fs::remove_all(work_dir);
  const Experiment experiment =
      load_experiment(source_path("configs/warehouse_tiny_ppo.yaml").string(),
                      {"name=masked", "agent.total_steps=2048"}, builtin_envs());
  train(experiment, {.run_dir = work_dir / "run", .progress = false});
  for (const std::string format : {"torchscript", "onnx", "c"})
    export_policy(work_dir / "run",
                  {.format = format, .checkpoint = "latest", .out_dir = work_dir / "export"},
                  builtin_envs());

  // Observations and masks from the env under random allowed actions.
  VecEnv envs(experiment.env_model, {.num_envs = 4, .threads = 1, .seed = 5});
  const EnvSpec& spec = experiment.env_model->spec();
  const int64_t rows = 4 * spec.num_agents;
  const int64_t observation_size = spec.observation_space.size();
  const int64_t mask_size = envs.batch().mask_size;
  const BatchView& batch = envs.reset();
  std::vector<torch::Tensor> observation_rows, mask_rows;
  Rng rng(9);
  std::vector<int64_t> actions(rows);
  for (int step = 0; step < 100; ++step) {
    observation_rows.push_back(
        torch::from_blob(batch.observation, {rows, observation_size}).clone());
    mask_rows.push_back(
        torch::from_blob(batch.action_mask, {rows, mask_size}, torch::kBool).clone());
    for (int64_t r = 0; r < rows; ++r)
      spec.action_space.sample(rng, std::span(&actions[r], 1),
                               std::span<const bool>(batch.action_mask + r * mask_size, mask_size));
    envs.step({nullptr, actions.data()});
  }
  const torch::Tensor input = torch::cat(observation_rows);
  const torch::Tensor mask = torch::cat(mask_rows);
  PolicyModule module = load_policy_module(experiment, work_dir / "run/checkpoints/latest.pt");
  torch::NoGradGuard no_grad;
  const torch::Tensor expected = std::get<ActorCritic>(module)->act(input, mask);
  const torch::Tensor unmasked = std::get<ActorCritic>(module)->act(input, {});
  ASSERT_GT(expected.ne(unmasked).sum().item<int64_t>(), 0) << "the masks should matter here";

  torch::jit::Module scripted = torch::jit::load((work_dir / "export/policy.pt").string());
  EXPECT_TRUE(scripted.run_method("forward_masked", input, mask).toTensor().equal(expected));

  CPolicyProcess c_policy(work_dir / "export/policy.h", work_dir, /*masked=*/true);
  ASSERT_TRUE(c_policy.compiled());
  const torch::Tensor mask_bytes = mask.to(torch::kUInt8);
  int c_disagreements = 0;
  for (int64_t i = 0; i < input.size(0); ++i) {
    const std::vector<float> action =
        c_policy.act({input[i].data_ptr<float>(), static_cast<size_t>(observation_size)}, 1,
                     {mask_bytes[i].data_ptr<uint8_t>(), static_cast<size_t>(mask_size)});
    if (action[0] != expected[i][0].item<float>()) ++c_disagreements;
  }
  EXPECT_EQ(c_disagreements, 0);

  const NodeRun run = run_onnx(work_dir / "export/policy.onnx", input, work_dir, input.size(0),
                               observation_size, mask);
  ASSERT_EQ(run.status, 0) << run.errors;
  const nlohmann::json result = nlohmann::json::parse(run.output);
  int onnx_disagreements = 0;
  for (int64_t i = 0; i < input.size(0); ++i)
    if (result["data"][i].get<int64_t>() != expected[i][0].item<int64_t>()) ++onnx_disagreements;
  EXPECT_EQ(onnx_disagreements, 0);
  fs::remove_all(work_dir);
}

TEST_F(ExportTest, BadRequestsGiveClearErrors) {
  // Bad input (exit code 2 from the command), as a wrong --format is.
  EXPECT_THROW(export_policy(work_dir_ / "no_such_run", {.out_dir = out_dir()}, builtin_envs()),
               std::invalid_argument);
  EXPECT_THROW(export_policy(run_dir(), {.format = "onnx", .int8 = true, .out_dir = out_dir()},
                             builtin_envs()),
               std::invalid_argument);
}

}  // namespace
}  // namespace twinrl

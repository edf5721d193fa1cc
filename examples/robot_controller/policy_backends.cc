#include "policy_backends.h"

#include <ATen/Parallel.h>
#include <torch/script.h>

#include <stdexcept>
#include <string>

extern "C" {
int controller_policy_observation_size(void);
int controller_policy_action_size(void);
void controller_policy_act(const float* observation, float* action);
}

namespace robot_controller {
namespace {

void check_size(const char* what, int64_t policy_size, int64_t robot_size) {
  if (policy_size != robot_size)
    throw std::invalid_argument("the policy's " + std::string(what) + " has " +
                                std::to_string(policy_size) + " numbers, the robot's " +
                                std::to_string(robot_size) +
                                ": was it exported from a run of this env?");
}

}  // namespace

PolicyFunction load_torchscript_policy(const std::filesystem::path& file, int64_t observation_size,
                                       int64_t action_size) {
  // A controller has one core to itself: LibTorch's thread pool only adds jitter.
  at::set_num_threads(1);
  auto module = std::make_shared<torch::jit::Module>(torch::jit::load(file.string()));
  module->eval();
  // One trial call checks the sizes before the robot moves.
  torch::NoGradGuard no_grad;
  const torch::Tensor trial = module->forward({torch::zeros({1, observation_size})}).toTensor();
  check_size("action", trial.size(1), action_size);
  return [module, observation_size, action_size](const float* observation, float* action) {
    torch::NoGradGuard no_grad;
    const torch::Tensor input =
        torch::from_blob(const_cast<float*>(observation), {1, observation_size});
    const torch::Tensor output = module->forward({input}).toTensor();
    std::copy_n(output.data_ptr<float>(), action_size, action);
  };
}

PolicyFunction compiled_c_policy(int64_t observation_size, int64_t action_size) {
  check_size("observation", controller_policy_observation_size(), observation_size);
  check_size("action", controller_policy_action_size(), action_size);
  return controller_policy_act;
}

}  // namespace robot_controller

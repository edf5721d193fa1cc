// LibTorch tensors over the runner's batch buffers.
#include "agents/torch_batch.h"

#include <gtest/gtest.h>

#include "core/vec_env.h"
#include "tests/counting_env.h"

namespace twinrl {
namespace {

using testing::CountingModel;
using testing::CountingParams;

TEST(VecEnvTest, TensorsOverTheBatchSeeEveryStepWithoutCopies) {
  VecEnv vec_env(std::make_shared<CountingModel>(CountingParams{.num_agents = 2}),
                 {.num_envs = 3, .threads = 2});
  const TorchBatch tensors = as_tensors(vec_env.reset());
  EXPECT_EQ(tensors.observation.data_ptr<float>(), vec_env.batch().observation);
  EXPECT_EQ(tensors.observation.sizes(), (std::vector<int64_t>{6, 4}));
  EXPECT_EQ(tensors.action_mask.sizes(), (std::vector<int64_t>{6, 5}));
  EXPECT_EQ(tensors.observation.select(1, 1).sum().item<float>(), 0);

  const torch::Tensor actions = torch::full({6}, 3, torch::kInt64);
  vec_env.step(action_ref(actions, vec_env.spec(), 6));
  // The same tensors, no re-wrapping: they read the new step.
  EXPECT_TRUE(torch::all(tensors.observation.select(1, 1) == 1).item<bool>());
  EXPECT_TRUE(torch::all(tensors.observation.select(1, 3) == 3).item<bool>());
  EXPECT_TRUE(torch::equal(tensors.reward, torch::tensor({3.f, 4.f, 3.f, 4.f, 3.f, 4.f})));
  EXPECT_TRUE(torch::all(tensors.action_mask).item<bool>());

  EXPECT_THROW(action_ref(torch::zeros({6}, torch::kFloat32), vec_env.spec(), 6),
               std::invalid_argument);
  EXPECT_THROW(action_ref(torch::zeros({5}, torch::kInt64), vec_env.spec(), 6),
               std::invalid_argument);
  EXPECT_THROW(action_ref(torch::zeros({6, 2}, torch::kInt64).select(1, 0), vec_env.spec(), 6),
               std::invalid_argument);
}

}  // namespace
}  // namespace twinrl

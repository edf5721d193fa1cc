// PPO's centralized critic (agents/joint_observation.h): the joint
// observations it sees, and that it refuses envs of one agent. Its gradient
// is checked in ppo_gradient_test.cc, its learning in
// warehouse_learning_test.cc.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "agents/experiment.h"
#include "agents/joint_observation.h"
#include "config/config_error.h"
#include "envs/builtin_envs.h"
#include "tests/command_line.h"

namespace twinrl {
namespace {

TEST(JointObservationTest, EachAgentSeesItsOwnThenTheOthersOfItsEnv) {
  // Two envs of three agents; row r observes {10 r, 10 r + 1}.
  const torch::Tensor rows = torch::tensor(
      {{0.f, 1.f}, {10.f, 11.f}, {20.f, 21.f}, {30.f, 31.f}, {40.f, 41.f}, {50.f, 51.f}});
  const torch::Tensor joint = joint_observations(rows, 3);
  ASSERT_EQ(joint.sizes(), (std::vector<int64_t>{6, 6}));
  // Env 1's second agent (row 4): itself, then row 5, then row 3.
  EXPECT_TRUE(torch::equal(joint[4], torch::tensor({40.f, 41.f, 50.f, 51.f, 30.f, 31.f})));
  // Env 0's last agent wraps round to the first.
  EXPECT_TRUE(torch::equal(joint[2], torch::tensor({20.f, 21.f, 0.f, 1.f, 10.f, 11.f})));

  // The kernels' gather agrees, for any rows asked for.
  const std::vector<int64_t> index = {4, 0, 5};
  std::vector<float> gathered(index.size() * 6);
  gather_joint_observations(rows.data_ptr<float>(), 2, 3, index.data(), 3, gathered.data());
  for (size_t i = 0; i < index.size(); ++i)
    EXPECT_TRUE(torch::equal(
        torch::tensor(std::vector<float>(gathered.begin() + static_cast<int64_t>(i) * 6,
                                         gathered.begin() + static_cast<int64_t>(i + 1) * 6)),
        joint[index[i]]));
  EXPECT_THROW(joint_observations(rows.narrow(0, 0, 4), 3), std::logic_error);
}

TEST(CentralizedCriticTest, AnEnvOfOneAgentIsALocatedError) {
  try {
    load_experiment(test_support::source_path("configs/cartpole_ppo.yaml"),
                    {"agent.ppo.network.centralized_critic=true"}, builtin_envs());
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_EQ(std::string(error.what()),
              "--set agent.ppo.network.centralized_critic=true: "
              "agent.ppo.network.centralized_critic: needs an env with several agents; CartPole "
              "with these params has one");
  }
}

}  // namespace
}  // namespace twinrl

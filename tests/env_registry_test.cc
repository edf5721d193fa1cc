#include "core/env_registry.h"

#include <gtest/gtest.h>

#include "config/config_error.h"
#include "envs/builtin_envs.h"
#include "envs/classic/cartpole.h"

namespace twinrl {
namespace {

TEST(EnvRegistryTest, BuildsCartPoleWithParameters) {
  const EnvRegistry registry = builtin_envs();
  const ConfigNode params = parse_config_text("max_episode_steps: 200\ntau: 0.01\n", "params.yaml");
  const auto model = registry.build("CartPole", params, params);
  EXPECT_EQ(model->spec().max_episode_steps, 200);
  EXPECT_DOUBLE_EQ(model->spec().control_period_s, 0.01);
  EXPECT_EQ(model->spec().action_space, Space::discrete(2));
  EXPECT_EQ(model->spec().observation_space.size(), 4);
}

TEST(EnvRegistryTest, UnknownIdsAndParametersAreLocatedConfigErrors) {
  const EnvRegistry registry = builtin_envs();
  const ConfigNode root =
      parse_config_text("env:\n  id: CartPol\n  params:\n    gravty: 3\n", "run.yaml");
  const ConfigNode env = root.child("env");
  try {
    registry.build("CartPol", env.child("id"), env.child("params"));
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_STREQ(error.what(),
                 "run.yaml:2:7: env.id: unknown environment 'CartPol'; did you mean 'CartPole'?");
  }
  try {
    registry.build("CartPole", env.child("id"), env.child("params"));
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("run.yaml:4:5"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("did you mean 'gravity'?"), std::string::npos)
        << error.what();
  }
}

TEST(EnvRegistryTest, DescribesSpacesKpisAndParameters) {
  const EnvRegistry registry = builtin_envs();
  const EnvEntry* entry = registry.find("CartPole");
  ASSERT_NE(entry, nullptr);
  const std::string text = describe_env(*entry);
  for (const char* expected : {"## CartPole", "Discrete(2)", "Box(4", "balance_time_s",
                               "max_episode_steps", "pole_half_length", "500"})
    EXPECT_NE(text.find(expected), std::string::npos) << expected << " missing from\n" << text;
  EXPECT_EQ(registry.find("Nope"), nullptr);
}

TEST(EnvRegistryTest, RefusesDuplicateIds) {
  EnvRegistry registry = builtin_envs();
  EXPECT_THROW(registry.add(make_env_entry<CartPoleParams, CartPoleModel>("CartPole", "again")),
               std::invalid_argument);
}

}  // namespace
}  // namespace twinrl

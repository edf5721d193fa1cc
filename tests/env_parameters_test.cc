// Parameters by name and domain randomization, checked once for every
// registered env: the framework does both, with no code in the envs.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "config/config_error.h"
#include "core/env_registry.h"
#include "envs/builtin_envs.h"

namespace twinrl {
namespace {

// A real-valued parameter with a non-zero value, and a range of +-10% around
// the value within the parameter's bounds.
struct VariedParameter {
  size_t index = 0;
  std::string name;
  double low = 0, high = 0;
};

VariedParameter varied_parameter(const EnvModel& model) {
  const ParameterTable& table = model.parameters();
  for (size_t index = 0; index < table.size(); ++index) {
    const ParameterInfo& info = table.info(index);
    const double value = table.value(index);
    if (!info.real || value == 0) continue;
    double low = std::min(0.9 * value, 1.1 * value), high = std::max(0.9 * value, 1.1 * value);
    if (info.min) low = std::max(low, *info.min);
    if (info.max) high = std::min(high, *info.max);
    if (low < high) return {index, info.name, low, high};
  }
  ADD_FAILURE() << model.spec().id << " has no real-valued parameter to vary";
  return {};
}

// One env of a model with the buffers it writes into.
struct EnvUnderTest {
  explicit EnvUnderTest(const EnvModel& model, uint64_t seed)
      : env(model.make_env()),
        observation(model.spec().num_agents * model.spec().observation_space.size()),
        reward(model.spec().num_agents),
        mask(std::make_unique<bool[]>(model.spec().num_agents *
                                      model.spec().action_space.mask_size())) {
    env->seed(seed);
  }
  void reset() { env->reset({observation.data(), reward.data(), mask.get()}); }

  std::unique_ptr<Env> env;
  std::vector<float> observation, reward;
  std::unique_ptr<bool[]> mask;
};

std::string parameter_error(const EnvModel& model, const std::string& name, double value) {
  try {
    model.with_parameters({{name, value}});
  } catch (const ParameterError& error) {
    return error.what();
  }
  return "no error";
}

class EveryEnvTest : public ::testing::TestWithParam<std::string> {
 protected:
  const EnvEntry& entry() const { return *registry_.find(GetParam()); }
  std::shared_ptr<const EnvModel> build(const std::string& randomize = "") const {
    return entry().build(
        ConfigNode(), randomize.empty() ? ConfigNode() : parse_config_text(randomize, "run.yaml"));
  }

 private:
  EnvRegistry registry_ = builtin_envs();
};

TEST_P(EveryEnvTest, ParametersSetByNameReadBack) {
  const auto model = build();
  const VariedParameter varied = varied_parameter(*model);
  const double value = (varied.low + 2 * varied.high) / 3;
  const auto changed = model->with_parameters({{varied.name, value}});
  EXPECT_NEAR(changed->parameters().value(varied.name), value, 1e-6 * std::abs(value));
  EXPECT_NE(changed->parameters().value(varied.name), model->parameters().value(varied.name));
  // On one env copy: a real-valued parameter holds from the next reset on;
  // integers shape buffers and are changed through the model only.
  EnvUnderTest copy(*model, 1);
  copy.env->set_parameter(varied.index, value);
  copy.reset();
  EXPECT_NEAR(copy.env->parameter(varied.index), value, 1e-6 * std::abs(value));
  for (size_t index = 0; index < model->parameters().size(); ++index) {
    if (model->parameters().info(index).real) continue;
    EXPECT_THROW(copy.env->set_parameter(index, 1), ParameterError);
    break;
  }
  // Through the registry too, and integers as well: every parameter at its own value.
  std::vector<ParameterValue> every;
  for (const ParameterInfo& info : model->parameters().infos())
    every.push_back({info.name, model->parameters().value(info.name)});
  const auto rebuilt = entry().build(ConfigNode(), ConfigNode(), every);
  for (const ParameterValue& parameter : every)
    EXPECT_EQ(rebuilt->parameters().value(parameter.name), parameter.value) << parameter.name;
}

TEST_P(EveryEnvTest, BadParameterNamesAndValuesAreErrorsThatNameTheKey) {
  const auto model = build();
  const VariedParameter varied = varied_parameter(*model);
  const std::string typo = varied.name.substr(0, varied.name.size() - 1);
  EXPECT_EQ(parameter_error(*model, typo, 1),
            "unknown parameter '" + typo + "'; did you mean '" + varied.name + "'?");
  for (const ParameterInfo& info : model->parameters().infos()) {
    if (info.name.ends_with("[0]")) {
      const std::string past_end = info.name.substr(0, info.name.size() - 3) + "[99]";
      EXPECT_NE(parameter_error(*model, past_end, 1).find("unknown parameter '" + past_end + "': "),
                std::string::npos);
    }
    if (info.min) {
      const std::string below = parameter_error(*model, info.name, *info.min - 1);
      EXPECT_TRUE(below.starts_with(info.name + ": ")) << below;
      EXPECT_NE(below.find("below the minimum"), std::string::npos) << below;
    }
  }
}

TEST_P(EveryEnvTest, RandomizationDrawsWithinItsRangePerSeedAndIsCheckpointed) {
  const VariedParameter varied = varied_parameter(*build());
  const auto model = build("{" + varied.name + ": [" + std::to_string(varied.low) + ", " +
                           std::to_string(varied.high) + "]}");
  auto draws = [&](uint64_t seed) {
    EnvUnderTest env(*model, seed);
    std::vector<double> values;
    for (int episode = 0; episode < 5; ++episode) {
      env.reset();
      values.push_back(env.env->parameter(varied.index));
    }
    return values;
  };
  const std::vector<double> first = draws(3);
  for (double value : first) {
    EXPECT_GE(value, varied.low - 1e-6 * std::abs(varied.low)) << varied.name;
    EXPECT_LE(value, varied.high + 1e-6 * std::abs(varied.high)) << varied.name;
  }
  EXPECT_NE(first[0], first[1]) << varied.name << " is not drawn per episode";
  EXPECT_EQ(first, draws(3));
  EXPECT_NE(first, draws(4));

  // A checkpoint keeps the draw of the episode under way.
  EnvUnderTest saved(*model, 5);
  saved.reset();
  StateWriter writer;
  saved.env->save(writer);
  EnvUnderTest loaded(*model, 6);
  StateReader reader(writer.bytes());
  loaded.env->load(reader);
  EXPECT_TRUE(reader.at_end());
  EXPECT_EQ(loaded.env->parameter(varied.index), saved.env->parameter(varied.index));
  EXPECT_NE(loaded.env->parameter(varied.index), model->parameters().value(varied.index));
}

TEST_P(EveryEnvTest, RandomizingAnUnknownOrIntegerParameterIsALocatedError) {
  const auto model = build();
  const VariedParameter varied = varied_parameter(*model);
  const std::string typo = varied.name.substr(0, varied.name.size() - 1);
  try {
    build("{" + typo + ": [0, 1]}");
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_EQ(std::string(error.what()), "run.yaml:1:2: unknown parameter '" + typo +
                                             "'; did you mean '" + varied.name + "'?");
  }
  for (const ParameterInfo& info : model->parameters().infos()) {
    if (info.real) continue;
    EXPECT_THROW(build("{" + info.name + ": [1, 2]}"), ConfigError) << info.name;
    break;
  }
}

std::vector<std::string> registered_ids() {
  const EnvRegistry registry = builtin_envs();
  std::vector<std::string> ids;
  for (const EnvEntry& entry : registry.entries()) ids.push_back(entry.id);
  return ids;
}

INSTANTIATE_TEST_SUITE_P(AllEnvs, EveryEnvTest, ::testing::ValuesIn(registered_ids()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace twinrl

#include "core/parameters.h"

#include <gtest/gtest.h>

#include <string>

#include "config/config_error.h"
#include "core/randomization.h"

namespace twinrl {
namespace {

struct Friction {
  double coefficient = 0.5;
  template <class Visitor>
  void visit(Visitor& v) {
    v("coefficient", coefficient, {.doc = "Coulomb friction", .min = 0.0, .max = 2.0});
  }
};

struct RobotParams {
  double mass = 1.0;
  float gain = 2.0f;
  int joints = 6;
  std::string name = "arm";
  bool torque = false;
  std::vector<double> link_lengths = {0.3, 0.2};
  Friction friction;
  template <class Visitor>
  void visit(Visitor& v) {
    v("mass", mass, {.doc = "kg", .min = 0.1});
    v("gain", gain, {.doc = "actuator gain"});
    v("joints", joints, {.doc = "joint count", .min = 1, .max = 12});
    v("name", name, {.doc = "not a number"});
    v("torque", torque, {.doc = "not a number"});
    v("link_lengths", link_lengths, {.doc = "m", .min = 0.0});
    v("friction", friction);
  }
};

ConfigNode parse(const std::string& text) {
  return parse_config_text(text, "robot.yaml");
}

std::string parse_error(const std::string& text) {
  const RobotParams params;
  try {
    Randomization::parse(parse(text), ParameterTable(params));
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "no error";
}

std::string set_error(const std::string& name, double value) {
  RobotParams params;
  try {
    set_parameters(params, {{name, value}});
  } catch (const ParameterError& error) {
    return error.what();
  }
  return "no error";
}

TEST(ParametersTest, EveryNumberHasADottedName) {
  const RobotParams params;
  const ParameterTable table(params);
  std::vector<std::string> names;
  for (const ParameterInfo& info : table.infos()) names.push_back(info.name);
  EXPECT_EQ(names, (std::vector<std::string>{"mass", "gain", "joints", "link_lengths[0]",
                                             "link_lengths[1]", "friction.coefficient"}));
  EXPECT_TRUE(table.info(0).real);
  EXPECT_FALSE(table.info(2).real);
  EXPECT_EQ(table.info(2).max, 12);
  EXPECT_EQ(table.value("link_lengths[1]"), 0.2);
  EXPECT_EQ(table.value("friction.coefficient"), 0.5);
}

TEST(ParametersTest, SetByNameReadsBack) {
  RobotParams params;
  set_parameters(params, {{"friction.coefficient", 1.5}, {"link_lengths[0]", 0.4}, {"joints", 7}});
  EXPECT_EQ(params.friction.coefficient, 1.5);
  EXPECT_EQ(params.link_lengths[0], 0.4);
  EXPECT_EQ(params.joints, 7);
  EXPECT_EQ(ParameterTable(params).value("joints"), 7);
}

TEST(ParametersTest, BadNamesAndValuesNameTheParameter) {
  EXPECT_EQ(set_error("mas", 2), "unknown parameter 'mas'; did you mean 'mass'?");
  EXPECT_EQ(set_error("link_lengths[2]", 1),
            "unknown parameter 'link_lengths[2]': link_lengths has 2 elements, [0] to [1]");
  EXPECT_EQ(set_error("mass", 0.01), "mass: 0.01 is below the minimum 0.1");
  EXPECT_EQ(set_error("joints", 13), "joints: 13 is above the maximum 12");
  EXPECT_EQ(set_error("joints", 6.5), "joints: 6.5 is not a whole number");
  EXPECT_EQ(set_error("gain", std::numeric_limits<double>::infinity()),
            "gain: inf is not a finite number");
  EXPECT_EQ(set_error("name", 1), "unknown parameter 'name' (`twinrl envs` lists the parameters)");
}

TEST(RandomizationTest, AbsentMeansNothingVaries) {
  const RobotParams params;
  EXPECT_TRUE(Randomization::parse(ConfigNode(), ParameterTable(params)).empty());
}

TEST(RandomizationTest, DrawsEachNamedRealParameterWithinItsRange) {
  const RobotParams defaults;
  const Randomization randomization = Randomization::parse(
      parse("friction.coefficient: [0.1, 0.2]\nmass: [2, 3]\nlink_lengths[1]: [1, 1]"),
      ParameterTable(defaults));
  ASSERT_EQ(randomization.ranges().size(), 3u);
  EXPECT_EQ(randomization.ranges()[0].index, 0u) << "in parameter order";
  Rng rng(7);
  double lowest_mass = 3, highest_mass = 2;
  for (int episode = 0; episode < 200; ++episode) {
    RobotParams params;
    randomization.draw(number_refs(params), rng);
    EXPECT_GE(params.mass, 2.0);
    EXPECT_LT(params.mass, 3.0);
    EXPECT_GE(params.friction.coefficient, 0.1);
    EXPECT_LT(params.friction.coefficient, 0.2);
    EXPECT_EQ(params.link_lengths[1], 1.0);
    EXPECT_EQ(params.gain, 2.0f);
    lowest_mass = std::min(lowest_mass, params.mass);
    highest_mass = std::max(highest_mass, params.mass);
  }
  EXPECT_LT(lowest_mass, 2.1);
  EXPECT_GT(highest_mass, 2.9);

  // The same generator state gives the same draws.
  Rng first(11), second(11);
  RobotParams a, b;
  randomization.draw(number_refs(a), first);
  randomization.draw(number_refs(b), second);
  EXPECT_EQ(a.mass, b.mass);
  EXPECT_EQ(a.friction.coefficient, b.friction.coefficient);
}

TEST(RandomizationTest, BadKeysAndRangesAreLocatedErrors) {
  const RobotParams params;
  try {
    Randomization::parse(parse("randomize:\n  mas: [1, 2]").child("randomize"),
                         ParameterTable(params));
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_STREQ(error.what(),
                 "robot.yaml:2:3: randomize: unknown parameter 'mas'; did you mean 'mass'?");
  }
  EXPECT_NE(parse_error("joints: [5, 7]").find("only real-valued"), std::string::npos);
  EXPECT_NE(parse_error("torque: [0, 1]").find("unknown parameter"), std::string::npos);
  EXPECT_NE(parse_error("mass: 2").find("expected [low, high]"), std::string::npos);
  EXPECT_NE(parse_error("mass: [3, 2]").find("low is above high"), std::string::npos);
  const std::string below_minimum = parse_error("mass: [0, 2]");
  EXPECT_NE(below_minimum.find("robot.yaml:1:8"), std::string::npos) << below_minimum;
  EXPECT_NE(parse_error("friction.coefficient: [1, 3]").find("friction.coefficient"),
            std::string::npos);
  EXPECT_NE(parse_error("mass: [1, .inf]").find("mass"), std::string::npos);
  EXPECT_NE(parse_error("[1, 2]").find("expected a mapping"), std::string::npos);
  EXPECT_NE(parse_error("mass: [1, 2]\nfriction: {coefficient: [0, 1], coefficent: [0, 1]}")
                .find("unknown parameter 'friction.coefficent'; did you mean"),
            std::string::npos);
  EXPECT_NE(parse_error("friction.coefficient: [0, 1]\nfriction: {coefficient: [0, 1]}")
                .find("named twice"),
            std::string::npos);
}

}  // namespace
}  // namespace twinrl

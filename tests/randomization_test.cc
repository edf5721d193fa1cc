#include "core/randomization.h"

#include <gtest/gtest.h>

#include <string>

#include "core/config_error.h"

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
  Friction friction;
  ConfigNode randomize;
  template <class Visitor>
  void visit(Visitor& v) {
    v("mass", mass, {.doc = "kg", .min = 0.1});
    v("gain", gain, {.doc = "actuator gain"});
    v("joints", joints, {.doc = "joint count"});
    v("friction", friction);
    v("randomize", randomize, {.doc = "per-episode ranges"});
  }
};

ConfigNode parse(const std::string& text) {
  return parse_config_text(text, "robot.yaml");
}

std::string parse_error(const std::string& text) {
  try {
    Randomization::parse<RobotParams>(parse(text));
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "no error";
}

TEST(RandomizationTest, AbsentMeansNothingVaries) {
  RobotParams params;
  Rng rng(3);
  Randomization::parse<RobotParams>(params.randomize).apply(params, rng);
  EXPECT_EQ(params.mass, 1.0);
  EXPECT_EQ(rng.state(), Rng(3).state());
}

TEST(RandomizationTest, DrawsEachNamedRealParameterWithinItsRange) {
  const Randomization randomization =
      Randomization::parse<RobotParams>(parse("mass: [2, 3]\nfriction.coefficient: [0.1, 0.2]"));
  ASSERT_EQ(randomization.ranges().size(), 2u);
  Rng rng(7);
  double lowest_mass = 3, highest_mass = 2;
  for (int episode = 0; episode < 200; ++episode) {
    RobotParams params;
    randomization.apply(params, rng);
    EXPECT_GE(params.mass, 2.0);
    EXPECT_LT(params.mass, 3.0);
    EXPECT_GE(params.friction.coefficient, 0.1);
    EXPECT_LT(params.friction.coefficient, 0.2);
    EXPECT_EQ(params.gain, 2.0f);
    lowest_mass = std::min(lowest_mass, params.mass);
    highest_mass = std::max(highest_mass, params.mass);
  }
  EXPECT_LT(lowest_mass, 2.1);
  EXPECT_GT(highest_mass, 2.9);

  // The same generator state gives the same draws.
  Rng first(11), second(11);
  RobotParams a, b;
  randomization.apply(a, first);
  randomization.apply(b, second);
  EXPECT_EQ(a.mass, b.mass);
  EXPECT_EQ(a.friction.coefficient, b.friction.coefficient);
}

TEST(RandomizationTest, BadKeysAndRangesAreLocatedErrors) {
  try {
    Randomization::parse<RobotParams>(parse("randomize:\n  mas: [1, 2]").child("randomize"));
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_STREQ(error.what(),
                 "robot.yaml:2:3: randomize: unknown parameter 'mas'; did you mean 'mass'?");
  }
  EXPECT_NE(parse_error("joints: [5, 7]").find("only real-valued"), std::string::npos);
  EXPECT_NE(parse_error("mass: 2").find("expected [low, high]"), std::string::npos);
  EXPECT_NE(parse_error("mass: [3, 2]").find("low is above high"), std::string::npos);
  const std::string below_minimum = parse_error("mass: [0, 2]");
  EXPECT_NE(below_minimum.find("robot.yaml:1:8"), std::string::npos) << below_minimum;
  EXPECT_NE(parse_error("friction.coefficient: [1, 3]").find("friction.coefficient"),
            std::string::npos);
  EXPECT_NE(parse_error("[1, 2]").find("expected a mapping"), std::string::npos);
}

}  // namespace
}  // namespace twinrl

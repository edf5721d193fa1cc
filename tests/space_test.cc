#include "core/space.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace twinrl {
namespace {

TEST(SpaceTest, BoxSizeContainsAndDescribe) {
  const Space box = Space::box({-1.0f, 0.0f}, {1.0f, 2.0f});
  EXPECT_EQ(box.kind(), SpaceKind::kBox);
  EXPECT_FALSE(box.is_discrete());
  EXPECT_EQ(box.size(), 2);
  EXPECT_EQ(box.mask_size(), 0);
  EXPECT_TRUE(box.contains(std::vector<float>{0.5f, 2.0f}));
  EXPECT_FALSE(box.contains(std::vector<float>{0.5f, 2.5f}));
  EXPECT_FALSE(box.contains(std::vector<float>{0.5f}));
  EXPECT_FALSE(box.contains(std::vector<float>{std::nanf(""), 1.0f}));
  EXPECT_EQ(box.describe(), "Box(2, [-1..0, 1..2])");
  EXPECT_EQ(Space::box(3, -1.0f, 1.0f).describe(), "Box(3, [-1, 1])");
}

TEST(SpaceTest, DiscreteAndMultiDiscrete) {
  const Space discrete = Space::discrete(3);
  EXPECT_EQ(discrete.kind(), SpaceKind::kDiscrete);
  EXPECT_EQ(discrete.size(), 1);
  EXPECT_EQ(discrete.mask_size(), 3);
  EXPECT_TRUE(discrete.contains(std::vector<int64_t>{2}));
  EXPECT_FALSE(discrete.contains(std::vector<int64_t>{3}));
  EXPECT_FALSE(discrete.contains(std::vector<int64_t>{-1}));
  EXPECT_EQ(discrete.describe(), "Discrete(3)");

  const Space multi = Space::multi_discrete({3, 4, 2});
  EXPECT_EQ(multi.size(), 3);
  EXPECT_EQ(multi.mask_size(), 9);
  EXPECT_TRUE(multi.contains(std::vector<int64_t>{2, 3, 1}));
  EXPECT_FALSE(multi.contains(std::vector<int64_t>{2, 4, 1}));
  EXPECT_FALSE(multi.contains(std::vector<float>{0, 0, 0}));
  EXPECT_EQ(multi.describe(), "MultiDiscrete([3 4 2])");
}

TEST(SpaceTest, InvalidDefinitionsThrow) {
  EXPECT_THROW(Space::box({1.0f}, {0.0f}), std::invalid_argument);
  EXPECT_THROW(Space::box({0.0f}, {1.0f, 2.0f}), std::invalid_argument);
  EXPECT_THROW(Space::box(0, 0.0f, 1.0f), std::invalid_argument);
  EXPECT_THROW(Space::discrete(0), std::invalid_argument);
  EXPECT_THROW(Space::multi_discrete({}), std::invalid_argument);
  EXPECT_THROW(Space::multi_discrete({2, -1}), std::invalid_argument);
}

TEST(SpaceTest, SamplesStayInsideAndCoverTheSpace) {
  Rng rng(7);
  const Space multi = Space::multi_discrete({3, 2});
  std::vector<int> counts(3, 0);
  for (int i = 0; i < 3000; ++i) {
    std::vector<int64_t> value(2);
    multi.sample(rng, value);
    ASSERT_TRUE(multi.contains(value));
    ++counts[value[0]];
  }
  for (int count : counts) EXPECT_NEAR(count, 1000, 150);

  const float inf = std::numeric_limits<float>::infinity();
  const Space box = Space::box({-2.0f, -inf}, {-1.0f, inf});
  for (int i = 0; i < 1000; ++i) {
    std::vector<float> value(2);
    box.sample(rng, value);
    ASSERT_TRUE(box.contains(value));
  }
  std::vector<float> wrong_size(3);
  EXPECT_THROW(box.sample(rng, wrong_size), std::invalid_argument);
}

TEST(SpaceTest, MaskedSamplesTakeOnlyAllowedChoicesUniformly) {
  Rng rng(5);
  const Space multi = Space::multi_discrete({3, 2});
  // Dimension 0 allows choices 0 and 2; dimension 1 allows nothing and falls back to 0.
  const bool mask[] = {true, false, true, false, false};
  int zeros = 0;
  for (int i = 0; i < 2000; ++i) {
    std::vector<int64_t> value(2);
    multi.sample(rng, value, mask);
    ASSERT_NE(value[0], 1);
    ASSERT_EQ(value[1], 0);
    zeros += value[0] == 0;
  }
  EXPECT_NEAR(zeros, 1000, 150);
  std::vector<int64_t> value(2);
  EXPECT_THROW(multi.sample(rng, value, std::span(mask, 4)), std::invalid_argument);
}

TEST(RngTest, StreamsAreReproducibleAndDistinct) {
  Rng a(stream_seed(42, 0)), b(stream_seed(42, 0)), c(stream_seed(42, 1)), d(stream_seed(43, 0));
  const uint64_t first = a.next();
  EXPECT_EQ(first, b.next());
  EXPECT_NE(first, c.next());
  EXPECT_NE(first, d.next());
  Rng uniform(1);
  for (int i = 0; i < 1000; ++i) {
    const double u = uniform.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    ASSERT_LT(uniform.below(7), 7u);
  }
}

}  // namespace
}  // namespace twinrl

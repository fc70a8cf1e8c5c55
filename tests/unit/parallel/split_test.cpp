// The split rule shared by devices that cut one launch into parts (parallel/split.h).
#include "parallel/split.h"

#include <gtest/gtest.h>

namespace parawasm::parallel {
namespace {

using Parts = std::vector<IterationRange>;

TEST(SplitIterations, ProportionalConsecutiveAndComplete) {
  const uint64_t weights[] = {2, 1, 1};
  EXPECT_EQ(splitIterations(0, 100, weights), (Parts{{0, 50}, {50, 75}, {75, 100}}));
  EXPECT_EQ(splitIterations(10, 20, weights), (Parts{{10, 15}, {15, 17}, {17, 20}}));
}

TEST(SplitIterations, RemaindersGoToLaterParts) {
  const uint64_t equal[] = {1, 1, 1};
  EXPECT_EQ(splitIterations(0, 10, equal), (Parts{{0, 3}, {3, 6}, {6, 10}}));
  EXPECT_EQ(splitIterations(0, 2, equal), (Parts{{0, 0}, {0, 1}, {1, 2}}));
}

TEST(SplitIterations, ZeroWeightsAndEmptyRanges) {
  const uint64_t someZero[] = {0, 3, 0, 1};
  EXPECT_EQ(splitIterations(0, 8, someZero), (Parts{{0, 0}, {0, 6}, {6, 6}, {6, 8}}));
  const uint64_t allZero[] = {0, 0};
  EXPECT_EQ(splitIterations(0, 4, allZero), (Parts{{0, 2}, {2, 4}}));
  const uint64_t one[] = {5};
  EXPECT_EQ(splitIterations(7, 7, one), (Parts{{7, 7}}));
  EXPECT_EQ(splitIterations(9, 3, one), (Parts{{9, 9}})); // an inverted range is empty
  EXPECT_TRUE(splitIterations(0, 10, {}).empty());
}

TEST(SplitIterations, FullRangeAndHugeWeightsDoNotOverflow) {
  const uint64_t huge[] = {UINT64_MAX, UINT64_MAX, 1};
  Parts parts = splitIterations(0, UINT32_MAX, huge);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].first, 0u);
  EXPECT_EQ(parts[2].last, UINT32_MAX);
  for (size_t k = 1; k < parts.size(); ++k)
    EXPECT_EQ(parts[k].first, parts[k - 1].last);
  EXPECT_NEAR(double(parts[0].size()), double(UINT32_MAX) / 2, 2.0);
}

} // namespace
} // namespace parawasm::parallel

// Limits matching, the one rule of Linker::instantiate and of wasi-parallel's kernel memory import.
#include "vm/import_matching.h"

#include <gtest/gtest.h>

#include <optional>

using parawasm::vm::LimitsMismatch;
using parawasm::vm::matchLimits;

namespace {

TEST(ImportMatchingTest, MinimumMustReachTheImports) {
  EXPECT_EQ(matchLimits(2, std::nullopt, 2, std::nullopt), LimitsMismatch::None);
  EXPECT_EQ(matchLimits(3, std::nullopt, 2, std::nullopt), LimitsMismatch::None);
  EXPECT_EQ(matchLimits(1, std::nullopt, 2, std::nullopt), LimitsMismatch::Min);
  EXPECT_EQ(matchLimits(1, 1, 2, 5), LimitsMismatch::Min); // the minimum is checked first
}

TEST(ImportMatchingTest, DeclaredMaximumNeedsOneNoLarger) {
  EXPECT_EQ(matchLimits(1, std::nullopt, 1, 4), LimitsMismatch::Max); // unbounded > any max
  EXPECT_EQ(matchLimits(1, 5, 1, 4), LimitsMismatch::Max);
  EXPECT_EQ(matchLimits(1, 4, 1, 4), LimitsMismatch::None);
  EXPECT_EQ(matchLimits(1, 3, 1, 4), LimitsMismatch::None);
  EXPECT_EQ(matchLimits(1, 3, 1, std::nullopt), LimitsMismatch::None); // no max: any will do
}

TEST(ImportMatchingTest, WorksPastThirtyTwoBits) {
  EXPECT_EQ(matchLimits(uint64_t(1) << 32, std::nullopt, 0xffffffffu, std::nullopt),
            LimitsMismatch::None);
  EXPECT_EQ(matchLimits(1, uint64_t(1) << 32, 0, 0xffffffffu), LimitsMismatch::Max);
}

} // namespace

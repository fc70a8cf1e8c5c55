// The write-merge shared by the devices that run one launch in several copies of memory
// (src/parallel/write_merge.h).
#include "parallel/write_merge.h"

#include <gtest/gtest.h>

namespace parawasm::parallel {
namespace {

std::vector<uint8_t> bytes(std::initializer_list<int> v) { return {v.begin(), v.end()}; }

TEST(WriteMerge, DiffFindsChangedBytesAndBridgesSmallGaps) {
  std::vector<uint8_t> before(1000, 0), after(1000, 0);
  after[3] = 1;
  after[10] = 2; // 6 bytes after the last change: one run
  after[500] = 3;
  after[999] = 4;
  std::vector<ChangedRun> runs;
  std::vector<uint8_t> changed, previous;
  diffRuns(before, after, runs, changed, previous);
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].offset, 3u);
  EXPECT_EQ(runs[0].length, 8u);
  EXPECT_EQ(runs[1].offset, 500u);
  EXPECT_EQ(runs[2].offset, 999u);
  EXPECT_EQ(changed, bytes({1, 0, 0, 0, 0, 0, 0, 2, 3, 4}));
  EXPECT_EQ(previous, std::vector<uint8_t>(10, 0));
  diffRuns(before, before, runs, changed, previous);
  EXPECT_TRUE(runs.empty());
  EXPECT_TRUE(changed.empty());
  EXPECT_TRUE(previous.empty());
}

TEST(WriteMerge, MergeWritesOnlyWhatThePartChanged) {
  const std::vector<uint8_t> before(32, 0);
  // Rank 1 changed bytes 0 and 8; its run spans 1..7 with their old values.
  std::vector<uint8_t> mine = before;
  mine[0] = 1;
  mine[8] = 1;
  std::vector<ChangedRun> runs;
  std::vector<uint8_t> changed, previous;
  diffRuns(before, mine, runs, changed, previous);
  ASSERT_EQ(runs.size(), 1u);
  // Meanwhile another part changed byte 4: the run must not put the old value back.
  std::vector<uint8_t> target = before;
  target[4] = 7;
  std::optional<uint64_t> conflict;
  ASSERT_EQ(mergeRuns(target, runs, previous, changed, conflict), std::nullopt);
  EXPECT_EQ(target[0], 1);
  EXPECT_EQ(target[4], 7);
  EXPECT_EQ(target[8], 1);
  EXPECT_FALSE(conflict);
}

TEST(WriteMerge, MergeReportsBytesTwoPartsChanged) {
  const std::vector<uint8_t> before(8, 0);
  std::vector<uint8_t> target = before;
  target[2] = 5; // changed by one part (e.g. rank 0 counting to 5)...
  const std::vector<ChangedRun> runs{{2, 1}};
  const auto five = bytes({5}), zero = bytes({0});
  std::optional<uint64_t> conflict;
  // ...and by another to the same value: still two counts of one counter.
  ASSERT_EQ(mergeRuns(target, runs, zero, five, conflict), std::nullopt);
  EXPECT_EQ(conflict, 2u);
}

TEST(WriteMerge, MergeRefusesRunsOutsideTheSpan) {
  const std::vector<uint8_t> before(8, 0);
  std::vector<uint8_t> target = before;
  std::optional<uint64_t> conflict;
  const auto one = bytes({1}), zero = bytes({0});
  const std::vector<ChangedRun> outside{{8, 1}};
  EXPECT_EQ(mergeRuns(target, outside, zero, one, conflict),
            "a changed run lies outside the region");
  const std::vector<ChangedRun> wrapping{{1, UINT64_MAX}};
  EXPECT_EQ(mergeRuns(target, wrapping, zero, one, conflict),
            "a changed run lies outside the region");
  const std::vector<ChangedRun> tooLong{{0, 2}};
  EXPECT_EQ(mergeRuns(target, tooLong, zero, one, conflict),
            "the changed runs and their bytes do not match");
  EXPECT_EQ(target, before);
}

TEST(WriteMerge, WholeCopiesMergeTheSameWay) {
  const std::vector<uint8_t> before{0, 0, 0, 0};
  std::vector<uint8_t> target = before;
  const std::vector<uint8_t> first{1, 0, 0, 0}, second{0, 0, 2, 0}, third{0, 0, 3, 0};
  EXPECT_FALSE(mergeCopy(target, before, first));
  EXPECT_FALSE(mergeCopy(target, before, second));
  EXPECT_EQ(target, (std::vector<uint8_t>{1, 0, 2, 0}));
  EXPECT_TRUE(mergeCopy(target, before, third)); // byte 2 again
  EXPECT_EQ(target[2], 3);
}

} // namespace
} // namespace parawasm::parallel

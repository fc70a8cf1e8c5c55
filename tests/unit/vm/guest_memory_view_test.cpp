// The one bounds check between a guest pointer and a host pointer (vm/guest_memory_view.h).
#include "vm/guest_memory_view.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

using parawasm::vm::GuestMemoryView;

namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

TEST(GuestMemoryViewTest, AcceptsRangesInsideMemory) {
  uint8_t bytes[16] = {};
  GuestMemoryView m(bytes, sizeof bytes);
  EXPECT_EQ(m.at(0, 16), bytes);
  EXPECT_EQ(m.at(15, 1), bytes + 15);
  EXPECT_EQ(m.at(16, 0), bytes + 16); // empty, at the end: inside, not to be read
  EXPECT_EQ(m.size(), 16u);
}

TEST(GuestMemoryViewTest, RefusesRangesThatLeaveMemory) {
  uint8_t bytes[16] = {};
  GuestMemoryView m(bytes, sizeof bytes);
  EXPECT_EQ(m.at(0, 17), nullptr);
  EXPECT_EQ(m.at(16, 1), nullptr);
  EXPECT_EQ(m.at(17, 0), nullptr);
  EXPECT_FALSE(m.contains(kMax, 0));
}

// offset + length wraps at 2^64 to a small number; a check that forms the sum would pass it.
TEST(GuestMemoryViewTest, RefusesOffsetPlusLengthThatWrapsAt2To64) {
  uint8_t bytes[16] = {};
  GuestMemoryView m(bytes, sizeof bytes);
  EXPECT_EQ(m.at(8, kMax - 3), nullptr); // 8 + 2^64 - 4 = 4 (mod 2^64)
  EXPECT_EQ(m.at(1, kMax), nullptr);     // 1 + 2^64 - 1 = 0
  EXPECT_FALSE(GuestMemoryView::fits(kMax, 1, kMax));
  EXPECT_FALSE(GuestMemoryView::fits(2, kMax - 1, kMax));
  EXPECT_TRUE(GuestMemoryView::fits(1, kMax - 1, kMax));
}

TEST(GuestMemoryViewTest, EmptyMemoryHasOnlyTheEmptyRangeAtZero) {
  GuestMemoryView none;
  EXPECT_NE(none.at(0, 0), nullptr);
  EXPECT_EQ(none.at(0, 1), nullptr);
  EXPECT_EQ(none.at(1, 0), nullptr);
}

TEST(GuestMemoryViewTest, LoadsAndStoresLittleEndianUnaligned) {
  uint8_t bytes[8] = {};
  GuestMemoryView m(bytes, sizeof bytes);
  ASSERT_TRUE(m.store<uint32_t>(1, 0x04030201u));
  EXPECT_EQ(bytes[1], 1);
  EXPECT_EQ(bytes[4], 4);
  uint16_t half = 0;
  ASSERT_TRUE(m.load(2, half));
  EXPECT_EQ(half, 0x0302);
  EXPECT_FALSE(m.store<uint32_t>(5, 0)); // bytes 5..8: one past the end
  EXPECT_EQ(bytes[5], 0);
  uint64_t wide = 0;
  EXPECT_FALSE(m.load(1, wide));
  EXPECT_TRUE(m.write(8, nullptr, 0));
  EXPECT_FALSE(m.write(7, "ab", 2));
}

} // namespace

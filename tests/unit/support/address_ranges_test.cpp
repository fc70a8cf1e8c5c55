// The signal-safe range set behind linear-memory reservations and JIT code ranges: membership
// at both ends, removal, reuse of freed slots, a full set that says so, and lookups after
// concurrent adds.
#include "support/address_ranges.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace parawasm::support {
namespace {

TEST(AddressRanges, ContainsExactlyItsRanges) {
  AddressRanges set(4);
  ASSERT_TRUE(set.add(0x1000, 0x100));
  ASSERT_TRUE(set.add(0x5000, 0x10));
  EXPECT_FALSE(set.contains(0xfff));
  EXPECT_TRUE(set.contains(0x1000));
  EXPECT_TRUE(set.contains(0x10ff));
  EXPECT_FALSE(set.contains(0x1100));
  EXPECT_TRUE(set.contains(0x500f));
  EXPECT_FALSE(set.contains(0x5010));
  set.remove(0x1000);
  EXPECT_FALSE(set.contains(0x1000));
  EXPECT_TRUE(set.contains(0x5000));
}

TEST(AddressRanges, AFullSetRefusesAndFreedSlotsAreReused) {
  AddressRanges set(2);
  ASSERT_TRUE(set.add(0x1000, 1));
  ASSERT_TRUE(set.add(0x2000, 1));
  EXPECT_FALSE(set.add(0x3000, 1));
  EXPECT_FALSE(set.contains(0x3000));
  set.remove(0x1000);
  ASSERT_TRUE(set.add(0x3000, 1));
  EXPECT_TRUE(set.contains(0x3000));
  set.remove(0x9000); // not there: nothing happens
  EXPECT_TRUE(set.contains(0x2000));
}

// Lookups stop at the highest slot ever claimed; a range added from another thread, or behind
// freed slots, is still found. The sets the runtime uses have 2^15 and 2^16 slots.
TEST(AddressRanges, RangesBehindFreedSlotsAndFromOtherThreadsAreFound) {
  AddressRanges set(1 << 16);
  for (uintptr_t i = 1; i <= 100; ++i)
    ASSERT_TRUE(set.add(i << 16, 0x100));
  for (uintptr_t i = 1; i < 100; ++i)
    set.remove(i << 16);
  EXPECT_TRUE(set.contains((uintptr_t(100) << 16) + 0xff));
  EXPECT_FALSE(set.contains(uintptr_t(50) << 16));
  std::vector<std::thread> threads;
  for (uintptr_t t = 0; t < 4; ++t)
    threads.emplace_back([&set, t] {
      for (uintptr_t i = 0; i < 200; ++i) {
        uintptr_t base = (uintptr_t(1000 + t * 1000 + i)) << 16;
        ASSERT_TRUE(set.add(base, 1));
        ASSERT_TRUE(set.contains(base));
      }
    });
  for (std::thread &thread : threads)
    thread.join();
  for (uintptr_t t = 0; t < 4; ++t)
    for (uintptr_t i = 0; i < 200; ++i)
      EXPECT_TRUE(set.contains(uintptr_t(1000 + t * 1000 + i) << 16));
  EXPECT_FALSE(set.contains(uintptr_t(999) << 16));
}

} // namespace
} // namespace parawasm::support

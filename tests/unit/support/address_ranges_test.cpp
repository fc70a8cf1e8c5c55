// The signal-safe range set behind linear-memory reservations and JIT code ranges: membership
// at both ends, removal, reuse of freed slots, and a full set that says so.
#include "support/address_ranges.h"

#include <gtest/gtest.h>

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

} // namespace
} // namespace parawasm::support

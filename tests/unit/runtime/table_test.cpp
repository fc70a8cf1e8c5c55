// Tables (runtime/table.cpp): creation, table.grow up to the maximum, the implementation limit
// and the limiter's refusal.
#include "runtime/objects.h"

#include <gtest/gtest.h>

using namespace parawasm;
using runtime::TableObject;

namespace {

int marker;
void *const kInit = &marker;

TEST(Table, CreateFillsWithInit) {
  auto table = TableObject::create(TableType{ValType::FuncRef, 3, 5}, kInit);
  ASSERT_TRUE(table.ok());
  auto &t = **table;
  EXPECT_EQ(t.vm.size, 3u);
  EXPECT_EQ(t.vm.max, 5u);
  EXPECT_EQ(t.vm.elements, t.storage.data());
  for (uint32_t i = 0; i < 3; ++i)
    EXPECT_EQ(t.vm.elements[i], kInit);
}

TEST(Table, NoMaximumIsUint32Max) {
  auto table = TableObject::create(TableType{ValType::ExternRef, 0, std::nullopt}, nullptr);
  ASSERT_TRUE(table.ok());
  EXPECT_EQ((*table)->vm.max, UINT32_MAX);
  EXPECT_EQ((*table)->vm.size, 0u);
}

TEST(Table, TooLargeIsExhaustion) {
  auto table = TableObject::create(TableType{ValType::FuncRef, 10'000'001, std::nullopt}, nullptr);
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.error().kind(), ErrorKind::Exhaustion);
  EXPECT_TRUE(
      TableObject::create(TableType{ValType::FuncRef, 10'000'000, std::nullopt}, nullptr).ok());
}

TEST(Table, GrowUpToTheMaximumThenRefuse) {
  auto table = TableObject::create(TableType{ValType::FuncRef, 1, 4}, nullptr);
  ASSERT_TRUE(table.ok());
  auto &t = **table;
  EXPECT_EQ(t.grow(2, kInit), 1);
  EXPECT_EQ(t.vm.size, 3u);
  EXPECT_EQ(t.vm.elements, t.storage.data()); // re-pointed after the vector grew
  EXPECT_EQ(t.vm.elements[0], nullptr);
  EXPECT_EQ(t.vm.elements[1], kInit);
  EXPECT_EQ(t.vm.elements[2], kInit);
  EXPECT_EQ(t.grow(2, kInit), -1); // 5 > 4
  EXPECT_EQ(t.vm.size, 3u);
  EXPECT_EQ(t.grow(1, nullptr), 3);
  EXPECT_EQ(t.grow(0, nullptr), 4);
  EXPECT_EQ(t.grow(1, nullptr), -1);
}

TEST(Table, GrowPastTheImplementationLimitFails) {
  auto table = TableObject::create(TableType{ValType::FuncRef, 0, std::nullopt}, nullptr);
  ASSERT_TRUE(table.ok());
  EXPECT_EQ((*table)->grow(10'000'001, nullptr), -1);
  EXPECT_EQ((*table)->grow(UINT32_MAX, nullptr), -1);
  EXPECT_EQ((*table)->vm.size, 0u);
}

TEST(Table, LimiterRefusesGrowth) {
  auto table = TableObject::create(TableType{ValType::FuncRef, 2, std::nullopt}, nullptr);
  ASSERT_TRUE(table.ok());
  ResourceLimits limits;
  limits.maxTableElements = 3;
  (*table)->limiter = std::make_shared<ResourceLimiter>(limits);
  EXPECT_EQ((*table)->grow(1, nullptr), 2);
  EXPECT_EQ((*table)->grow(1, nullptr), -1);
  EXPECT_EQ((*table)->vm.size, 3u);
  EXPECT_EQ((*table)->grow(0, nullptr), 3);
}

} // namespace

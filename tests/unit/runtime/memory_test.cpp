// Linear memory (runtime/memory.cpp): creation limits, memory.grow up to the maximum and the
// limiter's refusal, the committed pages, and fixed views.
#include "runtime/memory.h"
#include "runtime/objects.h"

#include <gtest/gtest.h>

using namespace parawasm;
using runtime::MemoryObject;

namespace {

std::shared_ptr<MemoryObject> make(uint32_t min, std::optional<uint32_t> max) {
  auto mem = MemoryObject::create(MemoryType{min, max, false});
  EXPECT_TRUE(mem.ok()) << (mem.ok() ? "" : mem.error().message());
  return mem.ok() ? *mem : nullptr;
}

TEST(Memory, CreateCommitsTheMinimum) {
  auto mem = make(2, 5);
  ASSERT_TRUE(mem);
  EXPECT_EQ(mem->pages(), 2u);
  EXPECT_EQ(mem->vm.sizeBytes.load(), 2 * vm::kPageSize);
  EXPECT_EQ(mem->vm.maxBytes, 5 * vm::kPageSize);
  EXPECT_EQ(mem->vm.shared, 0u);
  // The committed pages are zeroed and writable, the last byte included.
  EXPECT_EQ(mem->vm.base[0], 0);
  mem->vm.base[2 * vm::kPageSize - 1] = 0x5a;
  EXPECT_EQ(mem->vm.base[2 * vm::kPageSize - 1], 0x5a);
  // The reservation is huge-page aligned (memory.cpp: reserveAligned).
  EXPECT_EQ(reinterpret_cast<uintptr_t>(mem->vm.base) % (2u << 20), 0u);
}

TEST(Memory, NoMaximumMeansTheWhole32BitRange) {
  auto mem = make(0, std::nullopt);
  ASSERT_TRUE(mem);
  EXPECT_EQ(mem->pages(), 0u);
  EXPECT_EQ(mem->vm.maxBytes, vm::kMaxPages32 * vm::kPageSize);
}

TEST(Memory, MoreThan4GiBIsInvalid) {
  auto mem = MemoryObject::create(MemoryType{uint32_t(vm::kMaxPages32) + 1, std::nullopt, false});
  ASSERT_FALSE(mem.ok());
  EXPECT_EQ(mem.error().kind(), ErrorKind::Invalid);
  EXPECT_NE(mem.error().message().find("65536 pages"), std::string::npos);
}

TEST(Memory, GrowUpToTheMaximumThenRefuse) {
  auto mem = make(1, 3);
  ASSERT_TRUE(mem);
  EXPECT_EQ(mem->grow(0), 1); // memory.size
  EXPECT_EQ(mem->grow(1), 1); // old size
  EXPECT_EQ(mem->pages(), 2u);
  mem->vm.base[2 * vm::kPageSize - 1] = 7; // the new page is committed
  EXPECT_EQ(mem->grow(2), -1);             // 4 > 3
  EXPECT_EQ(mem->pages(), 2u);
  EXPECT_EQ(mem->grow(1), 2);
  EXPECT_EQ(mem->pages(), 3u);
  EXPECT_EQ(mem->grow(1), -1);
  EXPECT_EQ(mem->grow(0), 3); // growing by 0 at the maximum still succeeds
  EXPECT_EQ(mem->vm.base[2 * vm::kPageSize - 1], 7);
}

TEST(Memory, LimiterRefusesGrowthBeyondItsLimit) {
  auto mem = make(1, std::nullopt);
  ASSERT_TRUE(mem);
  ResourceLimits limits;
  limits.maxMemoryBytes = 2 * vm::kPageSize;
  mem->limiter = std::make_shared<ResourceLimiter>(limits);
  EXPECT_EQ(mem->grow(1), 1);
  EXPECT_EQ(mem->grow(1), -1);
  EXPECT_EQ(mem->pages(), 2u);
  EXPECT_EQ(mem->grow(0), 2); // a zero delta never asks the limiter
}

TEST(Memory, LimiterSeesCurrentAndDesiredBytes) {
  struct Recorder : ResourceLimiter {
    uint64_t current = 0, desired = 0;
    std::optional<std::string> memoryGrowing(uint64_t c, uint64_t d) override {
      current = c;
      desired = d;
      return "no";
    }
  };
  auto mem = make(1, 10);
  ASSERT_TRUE(mem);
  auto recorder = std::make_shared<Recorder>();
  mem->limiter = recorder;
  EXPECT_EQ(mem->grow(3), -1);
  EXPECT_EQ(recorder->current, vm::kPageSize);
  EXPECT_EQ(recorder->desired, 4 * vm::kPageSize);
  EXPECT_EQ(mem->pages(), 1u);
}

std::shared_ptr<MemoryObject> make64(uint64_t min, std::optional<uint64_t> max) {
  MemoryType type{min, max, false};
  type.index64 = true;
  auto mem = MemoryObject::create(type);
  EXPECT_TRUE(mem.ok()) << (mem.ok() ? "" : mem.error().message());
  return mem.ok() ? *mem : nullptr;
}

TEST(Memory64, CountsPagesIn64Bits) {
  auto mem = make64(1, std::nullopt);
  ASSERT_TRUE(mem);
  EXPECT_EQ(mem->vm.index64, 1u);
  // Without a maximum, a 64-bit memory may grow to the engine's reservation, past 4 GiB.
  EXPECT_EQ(mem->vm.maxBytes, vm::kMaxMemory64Bytes);
  EXPECT_EQ(mem->grow(vm::kMaxPages32), 1); // to 4 GiB + 64 KiB: reserved, committed lazily
  EXPECT_EQ(mem->pages(), vm::kMaxPages32 + 1);
  mem->vm.base[vm::kMaxPages32 * vm::kPageSize] = 9; // the byte at 4 GiB
  EXPECT_EQ(mem->vm.base[vm::kMaxPages32 * vm::kPageSize], 9);
  // A delta whose size in bytes would wrap 2^64 is refused, not wrapped.
  EXPECT_EQ(mem->grow(uint64_t(1) << 48), -1);
  EXPECT_EQ(mem->grow(~uint64_t(0)), -1);
  EXPECT_EQ(mem->pages(), vm::kMaxPages32 + 1);
}

TEST(Memory64, DeclaredMaximumBoundsGrowth) {
  auto mem = make64(0, 2);
  ASSERT_TRUE(mem);
  EXPECT_EQ(mem->vm.maxBytes, 2 * vm::kPageSize);
  EXPECT_EQ(mem->grow(2), 0);
  EXPECT_EQ(mem->grow(1), -1);
}

TEST(Memory64, LimitsOf2To48PagesAndTheReservation) {
  MemoryType type{(uint64_t(1) << 48) + 1, std::nullopt, false};
  type.index64 = true;
  auto invalid = MemoryObject::create(type);
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().kind(), ErrorKind::Invalid);
  // Valid, but more than this engine reserves for one memory.
  type.minPages = vm::kMaxMemory64Bytes / vm::kPageSize + 1;
  auto tooBig = MemoryObject::create(type);
  ASSERT_FALSE(tooBig.ok());
  EXPECT_EQ(tooBig.error().kind(), ErrorKind::Exhaustion);
}

TEST(Memory, FixedViewAliasesButCannotGrow) {
  auto mem = make(1, 8);
  ASSERT_TRUE(mem);
  auto view = runtime::makeFixedView(*mem);
  EXPECT_EQ(view->vm.base, mem->vm.base);
  EXPECT_EQ(view->pages(), 1u);
  EXPECT_EQ(view->type.maxPages, std::optional<uint64_t>(1));
  EXPECT_EQ(view->grow(1), -1);
  EXPECT_EQ(view->grow(0), 1);
  view->vm.base[10] = 42;
  EXPECT_EQ(mem->vm.base[10], 42);

  EXPECT_EQ(mem->grow(2), 1);
  EXPECT_EQ(view->pages(), 1u); // until refreshed
  runtime::refreshFixedView(*view, *mem);
  EXPECT_EQ(view->pages(), 3u);
  EXPECT_EQ(view->vm.maxBytes, 3 * vm::kPageSize);
  EXPECT_EQ(view->grow(1), -1);

  // Dropping the view leaves the memory mapped.
  view.reset();
  mem->vm.base[3 * vm::kPageSize - 1] = 1;
  EXPECT_EQ(mem->vm.base[10], 42);
}

} // namespace

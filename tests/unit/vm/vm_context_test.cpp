// The layout compiled code reads (vm/vm_context.h). The header pins offsets with static_assert;
// these tests write fields through the structs and read them back at those byte offsets, as the
// JIT's loads do, so that a field that moved (or a type that changed size) shows as a wrong value.
#include "vm/vm_context.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace parawasm;

namespace {

template <class T> T readAt(const void *base, size_t offset) {
  T value;
  std::memcpy(&value, static_cast<const uint8_t *>(base) + offset, sizeof value);
  return value;
}

TEST(VMContext, FieldsAtTheirOffsets) {
  vm::VMContext ctx{};
  uint8_t memory[1];
  vm::VMMemory mem{};
  vm::VMTable *tables[1] = {};
  void *globals[1] = {};
  vm::VMFuncRef *funcs[1] = {};
  const uint32_t typeIds[1] = {7};
  std::atomic<uint32_t> flag{3};
  vm::VMKernelContext kernel{};
  int instance;
  ctx.memoryBase = memory;
  ctx.memory = &mem;
  ctx.tables = tables;
  ctx.globals = globals;
  ctx.funcs = funcs;
  ctx.typeIds = typeIds;
  ctx.instance = &instance;
  ctx.interrupt = &flag;
  ctx.fuel = -42;
  ctx.kernel = &kernel;
  vm::VMMemory *memories[1] = {&mem};
  ctx.memories = memories;
  EXPECT_EQ(readAt<void *>(&ctx, 0), memory);
  EXPECT_EQ(readAt<void *>(&ctx, 8), &mem);
  EXPECT_EQ(readAt<void *>(&ctx, 16), tables);
  EXPECT_EQ(readAt<void *>(&ctx, 24), globals);
  EXPECT_EQ(readAt<void *>(&ctx, 32), funcs);
  EXPECT_EQ(readAt<const void *>(&ctx, 40), typeIds);
  EXPECT_EQ(readAt<void *>(&ctx, 48), &instance);
  EXPECT_EQ(readAt<const void *>(&ctx, 56), &flag);
  EXPECT_EQ(readAt<int64_t>(&ctx, 64), -42);
  EXPECT_EQ(readAt<void *>(&ctx, 72), &kernel);
  EXPECT_EQ(readAt<void *>(&ctx, 80), memories);
  EXPECT_EQ(sizeof(vm::VMContext), 88u);
}

TEST(VMContext, FuncRefLayout) {
  vm::VMFuncRef ref{};
  int code, callee;
  ref.code = &code;
  ref.calleeCtx = &callee;
  ref.typeId = 0xabcd1234;
  ref.funcIndex = 9;
  EXPECT_EQ(readAt<void *>(&ref, 0), &code);
  EXPECT_EQ(readAt<void *>(&ref, 8), &callee);
  EXPECT_EQ(readAt<uint32_t>(&ref, 16), 0xabcd1234u);
  EXPECT_EQ(sizeof(vm::VMFuncRef), 40u);
}

TEST(VMContext, MemoryTableAndKernelLayout) {
  vm::VMMemory mem{};
  uint8_t byte;
  mem.base = &byte;
  mem.sizeBytes.store(3 * vm::kPageSize);
  EXPECT_EQ(readAt<void *>(&mem, 0), &byte);
  // Compiled code loads the size as a plain 64-bit value: the atomic must be exactly that.
  EXPECT_EQ(readAt<uint64_t>(&mem, 8), 3 * vm::kPageSize);
  EXPECT_TRUE(std::atomic<uint64_t>::is_always_lock_free);

  void *elements[2] = {};
  vm::VMTable table{elements, 2, 5};
  EXPECT_EQ(readAt<void *>(&table, 0), elements);
  EXPECT_EQ(readAt<uint32_t>(&table, 8), 2u);

  vm::VMKernelContext kernel{100, 200, 17};
  EXPECT_EQ(readAt<uint64_t>(&kernel, 0), 100u);
  EXPECT_EQ(readAt<uint64_t>(&kernel, 8), 200u);
  EXPECT_EQ(readAt<uint32_t>(&kernel, 16), 17u);
}

TEST(VMContext, SlotHoldsEveryValueAtOffsetZero) {
  vm::Slot slot{};
  slot.i32 = -5;
  EXPECT_EQ(readAt<int32_t>(&slot, 0), -5);
  slot.i64 = INT64_MIN;
  EXPECT_EQ(readAt<int64_t>(&slot, 0), INT64_MIN);
  slot.f64 = 2.5;
  EXPECT_EQ(readAt<double>(&slot, 0), 2.5);
  for (int i = 0; i < 16; ++i)
    slot.v128[i] = uint8_t(i + 1);
  EXPECT_EQ(readAt<uint8_t>(&slot, 15), 16);
  EXPECT_EQ(sizeof(vm::Slot), 16u);
}

// No bounds checks on the CPU: the largest address an access can form, a 32-bit index plus a
// 32-bit static offset plus the widest access (16 bytes), must stay inside the reservation.
TEST(VMContext, ReservationCoversEveryAddress) {
  uint64_t largest = uint64_t(UINT32_MAX) + uint64_t(UINT32_MAX) + 16;
  EXPECT_LE(largest, vm::kMemoryReservation);
  EXPECT_EQ(vm::kMaxPages32 * vm::kPageSize, uint64_t(1) << 32);
  EXPECT_EQ(vm::kMemoryReservation % vm::kPageSize, 0u);
}

} // namespace

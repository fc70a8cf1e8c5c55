// The ABI shared by compiled code (CPU and GPU), the runtime and devices. Code generation reads
// every offset from here (offsetof), so the static_asserts below pin the layout the JIT emits.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace parawasm::vm {

// One cell per value wherever values cross the host boundary (entry thunks, host calls).
union Slot {
  int32_t i32;
  int64_t i64;
  float f32;
  double f64;
  uint8_t v128[16];
  void *ref;
};
static_assert(sizeof(Slot) == 16);

struct VMContext;

// What a funcref points to. Every call through a table or an import goes through one of these.
// Native signature of `code`: R code(void *calleeCtx, VMContext *callerCtx, P...), where R is
// void, the single result type, or a literal struct of the results.
struct VMFuncRef {
  void *code;
  void *calleeCtx; // the callee instance's VMContext, or the host function object
  uint32_t typeId; // engine-wide canonical signature id, compared by call_indirect
  uint32_t funcIndex;
  // void entry(void *code, void *calleeCtx, VMContext *callerCtx, Slot *io): args in, results out
  void *entry;
  void *owner; // runtime::FuncObject
};
static_assert(offsetof(VMFuncRef, code) == 0);
static_assert(offsetof(VMFuncRef, calleeCtx) == 8);
static_assert(offsetof(VMFuncRef, typeId) == 16);
static_assert(sizeof(VMFuncRef) == 40);

struct VMMemory {
  uint8_t *base;
  // Current size in bytes. Shared memories grow while other threads run: read it atomically.
  std::atomic<uint64_t> sizeBytes;
  uint64_t maxBytes;
  uint32_t shared;
  // 1 for a 64-bit (memory64) memory: its addresses are i64 and compiled code checks every
  // access explicitly, since no reservation covers a 64-bit index.
  uint32_t index64;
};
static_assert(offsetof(VMMemory, base) == 0);
static_assert(offsetof(VMMemory, sizeBytes) == 8);
static_assert(sizeof(std::atomic<uint64_t>) == 8);

struct VMTable {
  void **elements; // funcref: VMFuncRef*; externref: opaque pointer; null = nullptr
  uint32_t size;
  uint32_t max;
};
static_assert(offsetof(VMTable, elements) == 0);
static_assert(offsetof(VMTable, size) == 8);

// What a checked kernel (EngineConfig::checkKernelBuffers) reads besides its VMContext: the
// span every access must stay inside, and where its block driver records the iteration it runs,
// so that a trap names it. One per CPU kernel instance, owned by the device that runs it.
struct VMKernelContext {
  uint64_t spanStart; // guest address of the first byte of the exec's buffers
  uint64_t spanEnd;   // guest address one past their last byte
  uint32_t iteration; // the iteration running now (stored before each call of `kernel`)
};
static_assert(offsetof(VMKernelContext, spanStart) == 0);
static_assert(offsetof(VMKernelContext, spanEnd) == 8);
static_assert(offsetof(VMKernelContext, iteration) == 16);

struct VMContext {
  // Base of memory 0 (never changes: memory is one reservation that grows in place); null
  // without a memory. Compiled CPU code adds zext(address) + offset and relies on guard pages.
  // Memory 0 has these two fields of its own so that its accesses (nearly every module has only
  // this one) need one load less than those of `memories`.
  uint8_t *memoryBase;
  VMMemory *memory;
  VMTable **tables;
  void **globals;          // per global index: a 16-byte cell (imported ones point elsewhere)
  VMFuncRef **funcs;       // per function index, imports first
  const uint32_t *typeIds; // canonical signature id per type index of the module
  void *instance;          // runtime::InstanceObject
  // Never null. Nonzero: the guest is being interrupted (runtime/interrupt.h; compiled CPU code
  // never reads it, the runtime signals the threads running under it). Every instance of one
  // linker (and the kernel, team and thread instances they make) shares the same flag, so one
  // interrupt from any thread stops all of them.
  const std::atomic<uint32_t> *interrupt;
  // Fuel left (modules compiled with EngineConfig::consumeFuel only): function entries and loop
  // headers subtract what their code costs; below zero is trap OutOfFuel. Per instance, so it
  // is only ever touched by the thread running that instance.
  int64_t fuel;
  // Checked kernels only (see VMKernelContext); null everywhere else. Set by the CPU device
  // before each launch; compiled code reads it but never writes it.
  VMKernelContext *kernel;
  // Every memory by index, imports first (memories[0] == memory); null without memories.
  VMMemory **memories;
};
static_assert(offsetof(VMContext, memoryBase) == 0);
static_assert(offsetof(VMContext, memory) == 8);
static_assert(offsetof(VMContext, tables) == 16);
static_assert(offsetof(VMContext, globals) == 24);
static_assert(offsetof(VMContext, funcs) == 32);
static_assert(offsetof(VMContext, typeIds) == 40);
static_assert(offsetof(VMContext, instance) == 48);
static_assert(offsetof(VMContext, interrupt) == 56);
static_assert(offsetof(VMContext, fuel) == 64);
static_assert(offsetof(VMContext, kernel) == 72);
static_assert(offsetof(VMContext, memories) == 80);
static_assert(sizeof(VMContext) == 88);
static_assert(sizeof(std::atomic<uint32_t>) == 4);

inline constexpr uint64_t kPageSize = 65536;
inline constexpr uint64_t kMaxPages32 = 65536;
// The spec's limit for a 64-bit memory: 2^48 pages (2^64 bytes).
inline constexpr uint64_t kMaxPages64 = 1ull << 48;
// What this engine reserves, at most, for one 64-bit memory: its base never moves (shared
// memories grow while other threads run), so the reservation bounds its growth; memory.grow past
// it fails with -1, which the spec allows.
inline constexpr uint64_t kMaxMemory64Bytes = 1ull << 40;
// 4 GiB of index range plus 4 GiB for the largest static offset, plus room for a 16-byte access.
inline constexpr uint64_t kMemoryReservation = (8ull << 30) + kPageSize;

} // namespace parawasm::vm

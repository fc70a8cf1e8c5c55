// The GPU (NVPTX) target policy: memory is a device copy of a span of the caller's memory, every
// access is checked against that span, and a trap records its code in a flag and ends the thread.
#pragma once

#include "compile/translator.h"

#include <cstddef>
#include <cstdint>

namespace parawasm::compile {

// What `ctx` points to in GPU code: one per GPU thread, built by the kernel entry in local
// memory (promoted to registers once the kernel is inlined). It starts with a VMContext so that
// the shared translator finds `globals` where it always does; the other VMContext fields are
// null because the operators that read them (tables, imported calls) are refused on the GPU.
struct GpuThreadContext {
  vm::VMContext vm;
  // Device address (global address space) of the mirror; its byte 0 holds guest address
  // spanStart.
  uint64_t memory;
  uint64_t spanStart;  // guest address of the mirror's first byte
  uint64_t spanEnd;    // guest address one past its last byte
  uint64_t memorySize; // the caller's memory size in bytes, for memory.size
  // Device address of the launch's vm::GpuTrapRecord (vm/gpu_launch.h).
  uint64_t trapRecord;
  uint64_t iteration; // the iteration this thread runs, for the trap record
};
static_assert(offsetof(GpuThreadContext, vm) == 0);
static_assert(offsetof(GpuThreadContext, memory) == sizeof(vm::VMContext));
static_assert(offsetof(GpuThreadContext, spanStart) == sizeof(vm::VMContext) + 8);
static_assert(offsetof(GpuThreadContext, spanEnd) == sizeof(vm::VMContext) + 16);
static_assert(offsetof(GpuThreadContext, memorySize) == sizeof(vm::VMContext) + 24);
static_assert(offsetof(GpuThreadContext, trapRecord) == sizeof(vm::VMContext) + 32);
static_assert(offsetof(GpuThreadContext, iteration) == sizeof(vm::VMContext) + 40);
static_assert(sizeof(GpuThreadContext) == sizeof(vm::VMContext) + 48);

// NVPTX's global address space: where device memory allocated by the driver lives.
inline constexpr unsigned kPtxGlobalAddressSpace = 1;

class PtxPolicy final : public TargetPolicy {
public:
  unsigned memoryAddressSpace() const override { return kPtxGlobalAddressSpace; }
  llvm::Value *memoryAddress(FunctionTranslator &t, MemoryRef mem, llvm::Value *addr,
                             uint64_t offset, unsigned accessBytes) override;
  llvm::Value *memorySizeBytes(FunctionTranslator &t, MemoryRef mem) override;
  void emitTrap(FunctionTranslator &t, TrapCode code) override;
  bool allowsRuntimeCalls() const override { return false; }
  // PTX arithmetic returns 0x7fffffff for a NaN result; Wasm wants the canonical NaN.
  bool canonicalizesNaN() const override { return true; }
  void decorateFunction(llvm::Function &f) override;
};

// Wasm's floating-point rules on NVPTX: IEEE denormals (no flush to zero) and no unsafe math.
// Applied to every function of a GPU module, the entry included.
void setStrictFloatAttributes(llvm::Function &f);

} // namespace parawasm::compile

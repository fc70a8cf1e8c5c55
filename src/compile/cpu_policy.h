// The CPU target policy: guard pages instead of bounds checks (checked kernels add a check against
// the exec's buffers, TargetPolicy::checkKernelBuffers), traps call into the runtime.
#pragma once

#include "compile/translator.h"

namespace parawasm::compile {

// The current size in bytes of memory `index` of VMContext `ctx` (i64, loaded atomically).
llvm::Value *loadMemorySizeBytes(llvm::IRBuilderBase &b, llvm::Value *ctx, uint32_t index = 0);

class CpuPolicy final : public TargetPolicy {
public:
  unsigned memoryAddressSpace() const override { return 0; }
  llvm::Value *memoryAddress(FunctionTranslator &t, MemoryRef mem, llvm::Value *addr,
                             uint64_t offset, unsigned accessBytes) override;
  llvm::Value *memorySizeBytes(FunctionTranslator &t, MemoryRef mem) override;
  bool accessIsTheCheck(MemoryRef mem) const override {
    return !mem.index64 && !checkKernelBuffers;
  }
  void emitTrap(FunctionTranslator &t, TrapCode code) override;
  bool allowsRuntimeCalls() const override { return true; }
  void decorateFunction(llvm::Function &f) override;
  llvm::CallingConv::ID callingConv() const override { return llvm::CallingConv::Tail; }
};

} // namespace parawasm::compile

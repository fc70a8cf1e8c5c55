#include "compile/cpu_policy.h"

namespace parawasm::compile {

llvm::Value *CpuPolicy::memoryAddress(FunctionTranslator &t, llvm::Value *addr32, uint64_t offset,
                                      unsigned accessBytes) {
  // zext, never sext: a Wasm address is unsigned. base + 4 GiB index + 4 GiB offset stays inside
  // the 8 GiB reservation, so an out-of-bounds access always lands on a guard page.
  llvm::Value *effective = t.b.CreateZExt(addr32, t.i64());
  if (offset)
    effective = t.b.CreateAdd(effective, t.b.getInt64(offset), "", /*HasNUW=*/true);
  if (checkKernelBuffers) {
    // A checked kernel: the guard pages only catch accesses past the whole memory, but the
    // kernel shares the caller's memory, so an access outside the exec's buffers would corrupt
    // the caller's other data. One unsigned compare: an address below the span makes
    // effective - start wrap to at least 2^64 - 2^34, above any limit (at most 2^32 + 1), and a
    // span shorter than the access has limit 0. The limit is loop-invariant and hoisted.
    auto [start, end] = t.kernelSpan();
    llvm::Value *length = t.b.CreateSub(end, start);
    llvm::Value *size = t.b.getInt64(accessBytes);
    llvm::Value *limit = t.b.CreateSelect(
        t.b.CreateICmpUGE(length, size),
        t.b.CreateAdd(t.b.CreateSub(length, size), t.b.getInt64(1)), t.b.getInt64(0));
    t.trapIf(t.b.CreateICmpUGE(t.b.CreateSub(effective, start), limit),
             TrapCode::MemoryOutOfBounds);
  }
  // The sum cannot wrap the 64-bit address space: nusw and nuw let LLVM reason about strides.
  return t.b.CreateGEP(t.i8(), t.memoryBase(), effective, "",
                       llvm::GEPNoWrapFlags::noUnsignedSignedWrap() |
                           llvm::GEPNoWrapFlags::noUnsignedWrap());
}

llvm::Value *loadMemorySizeBytes(llvm::IRBuilderBase &b, llvm::Value *ctx) {
  llvm::LLVMContext &c = b.getContext();
  llvm::LoadInst *memory =
      b.CreateLoad(b.getPtrTy(), b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), ctx,
                                                              offsetof(vm::VMContext, memory)));
  memory->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(c, {}));
  llvm::Value *sizeAddr =
      b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), memory, offsetof(vm::VMMemory, sizeBytes));
  // Another thread may grow a shared memory at any time; the size only ever increases.
  llvm::LoadInst *size = b.CreateLoad(b.getInt64Ty(), sizeAddr);
  size->setAtomic(llvm::AtomicOrdering::Monotonic);
  size->setAlignment(llvm::Align(8));
  return size;
}

llvm::Value *CpuPolicy::memorySizeBytes(FunctionTranslator &t) {
  return loadMemorySizeBytes(t.b, t.ctx);
}

void CpuPolicy::emitTrap(FunctionTranslator &t, TrapCode code) {
  t.callRuntime(RuntimeCall::pw_trap, {t.b.getInt32(static_cast<uint32_t>(code))});
  t.b.CreateUnreachable();
}

void CpuPolicy::decorateFunction(llvm::Function &f) {
  // Probing keeps a large frame from stepping over the stack guard page: stack exhaustion must
  // fault inside the guard region, where the signal handler turns it into a trap.
  f.addFnAttr("probe-stack", "inline-asm");
  // Only return_call is a tail call (musttail, which this attribute leaves alone): unbounded
  // recursion through `call` must exhaust the stack and trap, so neither tail-recursion
  // elimination nor sibling calls may turn it into a loop that never ends.
  f.addFnAttr("disable-tail-calls", "true");
  f.addFnAttr(llvm::Attribute::NoUnwind);
}

} // namespace parawasm::compile

#include "compile/cpu_policy.h"

namespace parawasm::compile {

llvm::Value *CpuPolicy::memoryAddress(FunctionTranslator &t, MemoryRef mem, llvm::Value *addr,
                                      uint64_t offset, unsigned accessBytes) {
  llvm::Value *effective;
  if (!mem.index64) {
    // zext, never sext: a Wasm address is unsigned. base + 4 GiB index + 4 GiB offset stays
    // inside the 8 GiB reservation, so an out-of-bounds access always lands on a guard page.
    effective = t.b.CreateZExt(addr, t.i64());
    if (offset)
      effective = t.b.CreateAdd(effective, t.b.getInt64(offset), "", /*HasNUW=*/true);
  } else {
    // A 64-bit address can reach anywhere: no reservation can hold its range, so every access
    // is checked. One add with overflow and one compare: addr + offset + accessBytes must not
    // pass 2^64 nor the current size. An offset so large that offset + accessBytes alone
    // passes 2^64 always traps.
    uint64_t reach = offset + accessBytes;
    llvm::Value *outside;
    if (reach < offset) {
      outside = t.b.getTrue();
    } else {
      llvm::Value *sum = t.callIntrinsic(llvm::Intrinsic::uadd_with_overflow, {t.i64()},
                                         {addr, t.b.getInt64(reach)});
      llvm::Value *end = t.b.CreateExtractValue(sum, 0);
      llvm::Value *wrapped = t.b.CreateExtractValue(sum, 1);
      llvm::Value *pastEnd = t.b.CreateICmpUGT(end, memorySizeBytes(t, mem));
      outside = t.b.CreateOr(wrapped, pastEnd);
    }
    t.trapIf(outside, TrapCode::MemoryOutOfBounds);
    effective = offset ? t.b.CreateAdd(addr, t.b.getInt64(offset), "", /*HasNUW=*/true) : addr;
  }
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
  return t.b.CreateGEP(t.i8(), t.memoryBase(mem.index), effective, "",
                       llvm::GEPNoWrapFlags::noUnsignedSignedWrap() |
                           llvm::GEPNoWrapFlags::noUnsignedWrap());
}

llvm::Value *loadMemorySizeBytes(llvm::IRBuilderBase &b, llvm::Value *ctx, uint32_t index) {
  llvm::LLVMContext &c = b.getContext();
  auto invariantLoad = [&](llvm::Value *base, size_t offset) {
    llvm::LoadInst *load =
        b.CreateLoad(b.getPtrTy(), b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), base, offset));
    load->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(c, {}));
    return load;
  };
  llvm::Value *memory = index == 0
                            ? invariantLoad(ctx, offsetof(vm::VMContext, memory))
                            : invariantLoad(invariantLoad(ctx, offsetof(vm::VMContext, memories)),
                                            index * sizeof(vm::VMMemory *));
  llvm::Value *sizeAddr =
      b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), memory, offsetof(vm::VMMemory, sizeBytes));
  // Another thread may grow a shared memory at any time; the size only ever increases.
  llvm::LoadInst *size = b.CreateLoad(b.getInt64Ty(), sizeAddr);
  size->setAtomic(llvm::AtomicOrdering::Monotonic);
  size->setAlignment(llvm::Align(8));
  return size;
}

llvm::Value *CpuPolicy::memorySizeBytes(FunctionTranslator &t, MemoryRef mem) {
  return loadMemorySizeBytes(t.b, t.ctx, mem.index);
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

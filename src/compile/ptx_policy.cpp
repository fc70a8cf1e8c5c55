#include "compile/ptx_policy.h"

#include "compile/ptx.h"
#include "vm/gpu_launch.h"

#include <llvm/IR/InlineAsm.h>

namespace parawasm::compile {

namespace {

llvm::Value *threadField(FunctionTranslator &t, size_t offset, llvm::Type *ty) {
  llvm::Value *addr = t.b.CreateConstInBoundsGEP1_64(t.i8(), t.ctx, offset);
  return t.b.CreateAlignedLoad(ty, addr, llvm::Align(8));
}

// A kernel mirrors one span of one 32-bit memory (gpu_kernel.cpp's scan refuses others); say so
// plainly if another ever gets here.
bool mirrored(FunctionTranslator &t, MemoryRef mem) {
  if (mem.index == 0 && !mem.index64)
    return true;
  t.fail("multi-memory and memory64 are not supported on a GPU", TranslateErrorKind::Unsupported);
  return false;
}

} // namespace

llvm::Value *PtxPolicy::memoryAddress(FunctionTranslator &t, MemoryRef mem, llvm::Value *addr,
                                      uint64_t offset, unsigned accessBytes) {
  if (!mirrored(t, mem))
    return llvm::PoisonValue::get(t.b.getPtrTy(kPtxGlobalAddressSpace));
  // zext, never sext: a Wasm address is unsigned. zext(addr) + offset < 2^33, so neither this
  // sum nor `+ accessBytes` below can wrap, and both bounds compare plain numbers.
  llvm::Value *effective = t.b.CreateZExt(addr, t.i64());
  if (offset)
    effective = t.b.CreateAdd(effective, t.b.getInt64(offset), "", /*HasNUW=*/true);
  llvm::Value *start = threadField(t, offsetof(GpuThreadContext, spanStart), t.i64());
  llvm::Value *end = threadField(t, offsetof(GpuThreadContext, spanEnd), t.i64());
  llvm::Value *last =
      t.b.CreateAdd(effective, t.b.getInt64(accessBytes), "", /*HasNUW=*/true, /*HasNSW=*/true);
  // A device has no guard pages: an access outside the mirror would reach other allocations,
  // so it traps before touching memory.
  // One statement each: argument order is the host compiler's choice, the IR must not be.
  llvm::Value *pastEnd = t.b.CreateICmpUGT(last, end);
  llvm::Value *beforeStart = t.b.CreateICmpULT(effective, start);
  llvm::Value *outside = t.b.CreateOr(beforeStart, pastEnd);
  t.trapIf(outside, TrapCode::MemoryOutOfBounds);
  llvm::Value *mirror =
      threadField(t, offsetof(GpuThreadContext, memory), t.b.getPtrTy(kPtxGlobalAddressSpace));
  llvm::Value *rel = t.b.CreateSub(effective, start, "", /*HasNUW=*/true);
  return t.b.CreateInBoundsGEP(t.i8(), mirror, rel);
}

llvm::Value *PtxPolicy::memorySizeBytes(FunctionTranslator &t, MemoryRef mem) {
  if (!mirrored(t, mem))
    return llvm::PoisonValue::get(t.i64());
  return threadField(t, offsetof(GpuThreadContext, memorySize), t.i64());
}

void PtxPolicy::emitTrap(FunctionTranslator &t, TrapCode code) {
  // The first trap of the launch wins the record (code 0 -> 1 + code) and adds its iteration;
  // the thread then ends. PTX's `trap` instruction would instead abort the whole launch and
  // leave the context unusable.
  llvm::Value *record =
      threadField(t, offsetof(GpuThreadContext, trapRecord), t.b.getPtrTy(kPtxGlobalAddressSpace));
  llvm::Value *pair = t.b.CreateAtomicCmpXchg(
      record, t.b.getInt32(0), t.b.getInt32(static_cast<uint32_t>(code) + 1), llvm::MaybeAlign(4),
      llvm::AtomicOrdering::Monotonic, llvm::AtomicOrdering::Monotonic);
  auto *first = llvm::BasicBlock::Create(t.llctx, "trap.first", t.fn);
  auto *leave = llvm::BasicBlock::Create(t.llctx, "trap.exit", t.fn);
  t.b.CreateCondBr(t.b.CreateExtractValue(pair, 1), first, leave);
  t.b.SetInsertPoint(first);
  llvm::Value *iteration = threadField(t, offsetof(GpuThreadContext, iteration), t.i64());
  llvm::Value *slot =
      t.b.CreateConstInBoundsGEP1_64(t.i8(), record, offsetof(vm::GpuTrapRecord, iteration));
  t.b.CreateAlignedStore(t.b.CreateTrunc(iteration, t.i32()), slot, llvm::Align(4))
      ->setAtomic(llvm::AtomicOrdering::Monotonic);
  t.b.CreateBr(leave);
  t.b.SetInsertPoint(leave);
  auto *exitTy = llvm::FunctionType::get(t.b.getVoidTy(), false);
  t.b.CreateCall(llvm::InlineAsm::get(exitTy, "exit;", "", /*hasSideEffects=*/true));
  t.b.CreateUnreachable();
}

void PtxPolicy::decorateFunction(llvm::Function &f) {
  f.addFnAttr(llvm::Attribute::NoUnwind);
  setStrictFloatAttributes(f);
}

void setStrictFloatAttributes(llvm::Function &f) {
  // NVPTX chooses .ftz from the denormal mode; Wasm keeps subnormals. The old NVPTX attribute
  // is set too, so no version of the back end falls back to its own default.
  f.addFnAttr("denormal-fp-math", "ieee,ieee");
  f.addFnAttr("denormal-fp-math-f32", "ieee,ieee");
  f.addFnAttr("nvptx-f32ftz", "false");
  // Without these NVPTX keeps div.rn / sqrt.rn and emits add.rn / mul.rn, which ptxas may not
  // contract into fma.
  f.addFnAttr("unsafe-fp-math", "false");
  f.addFnAttr("no-infs-fp-math", "false");
  f.addFnAttr("no-nans-fp-math", "false");
  f.addFnAttr("no-signed-zeros-fp-math", "false");
  f.addFnAttr("approx-func-fp-math", "false");
}

} // namespace parawasm::compile

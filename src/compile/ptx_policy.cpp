#include "compile/ptx_policy.h"

#include "compile/gpu_check_versioning.h"
#include "compile/gpu_kernel.h"
#include "compile/ptx.h"
#include "vm/gpu_launch.h"

#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>

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
  llvm::Type *i32 = t.b.getInt32Ty();
  llvm::Value *start = threadField(t, offsetof(GpuThreadContext, spanStart), t.i64());
  llvm::Value *end = threadField(t, offsetof(GpuThreadContext, spanEnd), t.i64());
  llvm::Value *mirror =
      threadField(t, offsetof(GpuThreadContext, memory), t.b.getPtrTy(kPtxGlobalAddressSpace));

  // The fast path: one 32-bit test that the access is inside the mirror and aligned. Its
  // operands other than `addr` are the same for every access of this offset and width, so LLVM
  // computes them once, outside the loops. With base = spanStart - offset (when offset <=
  // spanStart), rel = addr - base is the access's offset in the mirror; rotating it right by
  // log2(width) moves a misaligned rel's low bits to the top, past any limit, and an aligned rel
  // is a whole access inside the span exactly when rel / width < span / width:
  //   rotr(rel, k) < span >> k  <=>  rel % width == 0 && rel + width <= span.
  // (rel wraps to at least 2^32 - base >= span when addr < base.) The mirror is aligned like
  // the guest addresses it holds (vm::kGpuMirrorAlignment), so an aligned rel is an aligned
  // device address. What the test leaves out (misaligned, outside, offset > spanStart, a span
  // of 4 GiB) takes the slow path, which checks exactly as Wasm says.
  static_assert(vm::kGpuMirrorAlignment >= 16, "the widest access is a v128");
  unsigned shift = llvm::Log2_32(accessBytes);
  // A 32-bit memory's span lies below 2^32.
  llvm::Value *start32 = t.b.CreateTrunc(start, i32);
  llvm::Value *span = t.b.CreateSub(end, start);
  llvm::Value *limit =
      t.b.CreateTrunc(t.b.CreateBinaryIntrinsic(llvm::Intrinsic::umin, t.b.CreateLShr(span, shift),
                                                t.b.getInt64(UINT32_MAX)),
                      i32);
  llvm::Value *base = offset ? t.b.CreateSub(start32, t.b.getInt32(uint32_t(offset))) : start32;
  llvm::Value *rel = t.b.CreateSub(addr, base);
  // A call until optimisation is done, so that loops can decide it once (gpu_check_versioning.h).
  llvm::Value *fast = emitAccessTest(t.b, rel, limit, shift);
  if (offset > UINT32_MAX)
    fast = t.b.getFalse();
  else if (offset)
    fast = t.b.CreateAnd(t.b.CreateICmpUGE(start32, t.b.getInt32(uint32_t(offset))), fast);
  llvm::Value *fastPointer = t.b.CreateInBoundsGEP(t.i8(), mirror, t.b.CreateZExt(rel, t.i64()));
  llvm::BasicBlock *fastFrom = t.b.GetInsertBlock();
  auto *slow = llvm::BasicBlock::Create(t.llctx, "access.slow", t.fn);
  auto *join = llvm::BasicBlock::Create(t.llctx, "access", t.fn);
  llvm::MDBuilder md(t.llctx);
  llvm::BranchInst *test = t.b.CreateCondBr(fast, join, slow, md.createBranchWeights(1u << 20, 1));
  markAlignedEdge(*test, accessBytes);

  // The slow path. zext, never sext: a Wasm address is unsigned. zext(addr) + offset < 2^33, so
  // neither this sum nor `+ accessBytes` below can wrap, and both bounds compare plain numbers.
  t.b.SetInsertPoint(slow);
  llvm::Value *effective = t.b.CreateZExt(addr, t.i64());
  if (offset)
    effective = t.b.CreateAdd(effective, t.b.getInt64(offset), "", /*HasNUW=*/true);
  llvm::Value *last =
      t.b.CreateAdd(effective, t.b.getInt64(accessBytes), "", /*HasNUW=*/true, /*HasNSW=*/true);
  // A device has no guard pages: an access outside the mirror would reach other allocations,
  // so it traps before touching memory.
  // One statement each: argument order is the host compiler's choice, the IR must not be.
  llvm::Value *pastEnd = t.b.CreateICmpUGT(last, end);
  llvm::Value *beforeStart = t.b.CreateICmpULT(effective, start);
  llvm::Value *outside = t.b.CreateOr(beforeStart, pastEnd);
  t.trapIf(outside, TrapCode::MemoryOutOfBounds);
  llvm::Value *rel64 = t.b.CreateSub(effective, start, "", /*HasNUW=*/true);
  llvm::Value *slowPointer = t.b.CreateInBoundsGEP(t.i8(), mirror, rel64);
  llvm::BasicBlock *slowFrom = t.b.GetInsertBlock();
  t.b.CreateBr(join);

  t.b.SetInsertPoint(join);
  llvm::PHINode *pointer = t.b.CreatePHI(fastPointer->getType(), 2);
  pointer->addIncoming(fastPointer, fastFrom);
  pointer->addIncoming(slowPointer, slowFrom);
  return pointer;
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

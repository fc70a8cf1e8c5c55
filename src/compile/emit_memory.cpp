// Linear-memory operators: plain loads and stores, memory.size/grow and the bulk-memory family,
// on any memory of the module (multi-memory), 32-bit or 64-bit (memory64). The address checks
// every family shares (memoryOperand, effectiveAddress, checkRange) live here too.
#include "compile/translator.h"

#include <wabt/cast.h>

namespace parawasm::compile {

std::optional<MemoryRef> FunctionTranslator::memoryOperand(const wabt::Var &memidx) {
  wabt::Index index = wmod.GetMemoryIndex(memidx);
  if (index >= info.memories.size()) {
    fail("unknown memory " + std::to_string(index));
    return std::nullopt;
  }
  return MemoryRef{uint32_t(index), info.memories[index].index64};
}

llvm::Value *FunctionTranslator::effectiveAddress(MemoryRef mem, llvm::Value *addr,
                                                  uint64_t offset) {
  if (!mem.index64) // zext(addr32) + a 32-bit offset cannot wrap
    return b.CreateAdd(b.CreateZExt(addr, i64()), b.getInt64(offset));
  llvm::Value *sum =
      callIntrinsic(llvm::Intrinsic::uadd_with_overflow, {i64()}, {addr, b.getInt64(offset)});
  trapIf(b.CreateExtractValue(sum, 1), TrapCode::MemoryOutOfBounds);
  return b.CreateExtractValue(sum, 0);
}

void FunctionTranslator::checkRange(MemoryRef mem, llvm::Value *start, llvm::Value *len) {
  // In i64: a 32-bit start and length cannot wrap it; 64-bit ones can, and then trap. The spec
  // traps even for len == 0 when start is past the end.
  llvm::Value *start64 = b.CreateZExt(start, i64());
  llvm::Value *len64 = b.CreateZExt(len, i64());
  llvm::Value *pastEnd;
  if (mem.index64 || len->getType() == i64()) {
    llvm::Value *sum =
        callIntrinsic(llvm::Intrinsic::uadd_with_overflow, {i64()}, {start64, len64});
    pastEnd = b.CreateOr(b.CreateExtractValue(sum, 1),
                         b.CreateICmpUGT(b.CreateExtractValue(sum, 0), memorySizeBytes(mem)));
  } else {
    pastEnd = b.CreateICmpUGT(b.CreateAdd(start64, len64), memorySizeBytes(mem));
  }
  trapIf(pastEnd, TrapCode::MemoryOutOfBounds);
}

namespace {

using wabt::Opcode;

bool isSignedLoad(Opcode op) {
  switch (op) {
  case Opcode::I32Load8S:
  case Opcode::I32Load16S:
  case Opcode::I64Load8S:
  case Opcode::I64Load16S:
  case Opcode::I64Load32S:
    return true;
  default:
    return false;
  }
}

// Width and result type come from wabt's opcode table (opcode.def); narrow integer loads read
// iN and extend to the result type.
void emitLoad(FunctionTranslator &t, const wabt::LoadExpr &e) {
  auto mem = t.memoryOperand(e.memidx);
  if (!mem)
    return;
  unsigned bytes = unsigned(e.opcode.GetMemorySize());
  if (bytes == 0 || e.opcode.GetResultType() == wabt::Type::V128)
    return t.fail(std::string("emitMemory: unexpected load opcode ") + e.opcode.GetName());
  llvm::Type *result = t.type(e.opcode.GetResultType());
  llvm::Value *addr = t.pop();
  llvm::Value *p = t.memoryAddress(*mem, addr, e.offset, bytes);
  llvm::Type *memTy = result->isFloatingPointTy() ? result : t.b.getIntNTy(bytes * 8);
  llvm::Value *v = t.memoryLoad(*mem, memTy, p);
  if (memTy != result)
    v = isSignedLoad(e.opcode) ? t.b.CreateSExt(v, result) : t.b.CreateZExt(v, result);
  t.push(v);
}

void emitStore(FunctionTranslator &t, const wabt::StoreExpr &e) {
  auto mem = t.memoryOperand(e.memidx);
  if (!mem)
    return;
  unsigned bytes = unsigned(e.opcode.GetMemorySize());
  if (bytes == 0 || e.opcode.GetParamType2() == wabt::Type::V128)
    return t.fail(std::string("emitMemory: unexpected store opcode ") + e.opcode.GetName());
  llvm::Value *value = t.pop();
  llvm::Value *addr = t.pop();
  if (value->getType()->isIntegerTy() && value->getType()->getIntegerBitWidth() > bytes * 8)
    value = t.b.CreateTrunc(value, t.b.getIntNTy(bytes * 8));
  llvm::Value *p = t.memoryAddress(*mem, addr, e.offset, bytes);
  t.b.CreateAlignedStore(value, p, llvm::Align(1));
}

// Runs `body` only when len != 0: rangeAddress below checks one-byte accesses, which would wrongly
// trap for an empty range that ends exactly at the memory end.
template <typename Body> void ifNonEmpty(FunctionTranslator &t, llvm::Value *len, Body body) {
  llvm::BasicBlock *doIt = llvm::BasicBlock::Create(t.llctx, "bulk.body", t.fn);
  llvm::BasicBlock *done = llvm::BasicBlock::Create(t.llctx, "bulk.done", t.fn);
  t.b.CreateCondBr(t.b.CreateICmpNE(len, llvm::ConstantInt::get(len->getType(), 0)), doIt, done);
  t.b.SetInsertPoint(doIt);
  body();
  t.b.CreateBr(done);
  t.b.SetInsertPoint(done);
}

// Pointer to the first byte of the non-empty range [start, start + len), already known to lie in
// the memory. The policy sees the first and the last byte, so a device that reaches only part of
// the memory (a GPU mirror) checks the whole range; on the CPU both addresses are plain
// arithmetic and the unused one folds away. After checkRange, start + len - 1 fits the
// memory's address type (len may be i32 for a 64-bit memory: memory.copy between index types).
llvm::Value *rangeAddress(FunctionTranslator &t, MemoryRef mem, llvm::Value *start,
                          llvm::Value *len) {
  llvm::Value *first = t.memoryAddress(mem, start, 0, 1);
  llvm::Value *len1 = t.b.CreateZExtOrTrunc(len, start->getType());
  llvm::Value *last =
      t.b.CreateSub(t.b.CreateAdd(start, len1), llvm::ConstantInt::get(start->getType(), 1));
  t.memoryAddress(mem, last, 0, 1);
  return first;
}

void emitMemoryFill(FunctionTranslator &t, const wabt::MemoryFillExpr &e) {
  auto mem = t.memoryOperand(e.memidx);
  if (!mem)
    return;
  llvm::Value *len = t.pop();
  llvm::Value *value = t.pop();
  llvm::Value *dst = t.pop();
  t.checkRange(*mem, dst, len);
  ifNonEmpty(t, len, [&] {
    llvm::Value *p = rangeAddress(t, *mem, dst, len);
    t.b.CreateMemSet(p, t.b.CreateTrunc(value, t.i8()), t.b.CreateZExt(len, t.i64()),
                     llvm::MaybeAlign(1));
  });
}

void emitMemoryCopy(FunctionTranslator &t, const wabt::MemoryCopyExpr &e) {
  // wabt 1.0.32's binary reader stores the first immediate, the destination memory, in the
  // field it calls `srcmemidx` (and the source in `destmemidx`); every module we translate
  // comes through that reader (text is encoded first). tests/wast/multi_memory.wast pins it.
  auto dst = t.memoryOperand(e.srcmemidx);
  auto src = t.memoryOperand(e.destmemidx);
  if (!src || !dst)
    return;
  llvm::Value *len = t.pop();
  llvm::Value *srcAddr = t.pop();
  llvm::Value *dstAddr = t.pop();
  t.checkRange(*src, srcAddr, len);
  t.checkRange(*dst, dstAddr, len);
  ifNonEmpty(t, len, [&] {
    llvm::Value *d = rangeAddress(t, *dst, dstAddr, len);
    llvm::Value *s = rangeAddress(t, *src, srcAddr, len);
    // Source and destination may overlap (in one memory): memmove, never memcpy.
    t.b.CreateMemMove(d, llvm::MaybeAlign(1), s, llvm::MaybeAlign(1), t.b.CreateZExt(len, t.i64()));
  });
}

} // namespace

void emitMemory(FunctionTranslator &t, const wabt::Expr &e) {
  switch (e.type()) {
  case wabt::ExprType::Load:
    emitLoad(t, *wabt::cast<wabt::LoadExpr>(&e));
    break;
  case wabt::ExprType::Store:
    emitStore(t, *wabt::cast<wabt::StoreExpr>(&e));
    break;
  case wabt::ExprType::MemorySize: {
    auto mem = t.memoryOperand(wabt::cast<wabt::MemorySizeExpr>(&e)->memidx);
    if (!mem)
      return;
    llvm::Value *pages = t.b.CreateLShr(t.memorySizeBytes(*mem), 16);
    t.push(mem->index64 ? pages : t.b.CreateTrunc(pages, t.i32()));
    break;
  }
  case wabt::ExprType::MemoryGrow: {
    auto mem = t.memoryOperand(wabt::cast<wabt::MemoryGrowExpr>(&e)->memidx);
    if (!mem)
      return;
    // The runtime counts pages in i64; a 32-bit memory's delta is unsigned and its result (an
    // old size below 2^16 pages, or -1) fits i32.
    llvm::Value *delta = t.b.CreateZExt(t.pop(), t.i64());
    llvm::Value *old =
        t.callRuntime(RuntimeCall::pw_memory_grow, {t.ctx, t.b.getInt32(mem->index), delta});
    t.push(mem->index64 ? old : t.b.CreateTrunc(old, t.i32()));
    break;
  }
  case wabt::ExprType::MemoryFill:
    emitMemoryFill(t, *wabt::cast<wabt::MemoryFillExpr>(&e));
    break;
  case wabt::ExprType::MemoryCopy:
    emitMemoryCopy(t, *wabt::cast<wabt::MemoryCopyExpr>(&e));
    break;
  case wabt::ExprType::MemoryInit: {
    auto &init = *wabt::cast<wabt::MemoryInitExpr>(&e);
    auto mem = t.memoryOperand(init.memidx);
    if (!mem)
      return;
    if (!init.var.is_index())
      return t.fail("memory.init: unresolved segment name");
    // Kernels have no data segments (kernel rules), so a checked kernel never gets here; the
    // runtime call below would check only the memory's bounds.
    if (t.policy.checkKernelBuffers)
      return t.fail("memory.init is not supported in a checked kernel",
                    TranslateErrorKind::Unsupported);
    llvm::Value *len = t.pop();
    llvm::Value *src = t.pop();
    llvm::Value *dst = t.b.CreateZExt(t.pop(), t.i64()); // i64 for a 64-bit memory
    t.callRuntime(RuntimeCall::pw_memory_init,
                  {t.ctx, t.b.getInt32(mem->index), t.b.getInt32(init.var.index()), dst, src, len});
    break;
  }
  case wabt::ExprType::DataDrop: {
    auto &drop = *wabt::cast<wabt::DataDropExpr>(&e);
    if (!drop.var.is_index())
      return t.fail("data.drop: unresolved segment name");
    t.callRuntime(RuntimeCall::pw_data_drop, {t.ctx, t.b.getInt32(drop.var.index())});
    break;
  }
  default:
    t.fail(std::string("emitMemory: unexpected expression ") + wabt::GetExprTypeName(e.type()));
  }
}

} // namespace parawasm::compile

// Linear-memory operators: plain loads and stores, memory.size/grow and the bulk-memory family.
// Only memory 0 of a 32-bit memory exists here; addresses are i32 and zero-extended before use.
#include "compile/translator.h"

#include <wabt/cast.h>

namespace parawasm::compile {

bool checkMemory(FunctionTranslator &t, const wabt::Var &memidx) {
  if (memidx.is_index() && memidx.index() == 0)
    return true;
  t.fail("only memory 0 is supported", TranslateErrorKind::Unsupported);
  return false;
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
  if (!checkMemory(t, e.memidx))
    return;
  unsigned bytes = unsigned(e.opcode.GetMemorySize());
  if (bytes == 0 || e.opcode.GetParamType1() != wabt::Type::I32 ||
      e.opcode.GetResultType() == wabt::Type::V128)
    return t.fail(std::string("emitMemory: unexpected load opcode ") + e.opcode.GetName());
  llvm::Type *result = t.type(e.opcode.GetResultType());
  llvm::Value *addr = t.pop();
  llvm::Value *p = t.memoryAddress(addr, e.offset, bytes);
  llvm::Type *memTy = result->isFloatingPointTy() ? result : t.b.getIntNTy(bytes * 8);
  // The Wasm alignment immediate is only a hint: a misaligned access must still work.
  llvm::Value *v = t.b.CreateAlignedLoad(memTy, p, llvm::Align(1));
  if (memTy != result)
    v = isSignedLoad(e.opcode) ? t.b.CreateSExt(v, result) : t.b.CreateZExt(v, result);
  t.push(v);
}

void emitStore(FunctionTranslator &t, const wabt::StoreExpr &e) {
  if (!checkMemory(t, e.memidx))
    return;
  unsigned bytes = unsigned(e.opcode.GetMemorySize());
  if (bytes == 0 || e.opcode.GetParamType1() != wabt::Type::I32 ||
      e.opcode.GetParamType2() == wabt::Type::V128)
    return t.fail(std::string("emitMemory: unexpected store opcode ") + e.opcode.GetName());
  llvm::Value *value = t.pop();
  llvm::Value *addr = t.pop();
  if (value->getType()->isIntegerTy() && value->getType()->getIntegerBitWidth() > bytes * 8)
    value = t.b.CreateTrunc(value, t.b.getIntNTy(bytes * 8));
  llvm::Value *p = t.memoryAddress(addr, e.offset, bytes);
  t.b.CreateAlignedStore(value, p, llvm::Align(1));
}

// Traps unless [start, start + len) lies inside the memory. Done in i64 so that neither the sum
// nor a zero-length range at the very end can wrap; the spec traps even for len == 0 when start
// is past the end.
void checkRange(FunctionTranslator &t, llvm::Value *start32, llvm::Value *len64,
                llvm::Value *size64) {
  llvm::Value *end = t.b.CreateAdd(t.b.CreateZExt(start32, t.i64()), len64);
  t.trapIf(t.b.CreateICmpUGT(end, size64), TrapCode::MemoryOutOfBounds);
}

// Runs `body` only when len != 0: rangeAddress below checks one-byte accesses, which would wrongly
// trap for an empty range that ends exactly at the memory end.
template <typename Body> void ifNonEmpty(FunctionTranslator &t, llvm::Value *len32, Body body) {
  llvm::BasicBlock *doIt = llvm::BasicBlock::Create(t.llctx, "bulk.body", t.fn);
  llvm::BasicBlock *done = llvm::BasicBlock::Create(t.llctx, "bulk.done", t.fn);
  t.b.CreateCondBr(t.b.CreateICmpNE(len32, t.b.getInt32(0)), doIt, done);
  t.b.SetInsertPoint(doIt);
  body();
  t.b.CreateBr(done);
  t.b.SetInsertPoint(done);
}

// Pointer to the first byte of the non-empty range [start, start + len), already known to lie in
// the memory. The policy sees the first and the last byte, so a device that reaches only part of
// the memory (a GPU mirror) checks the whole range; on the CPU both addresses are plain
// arithmetic and the unused one folds away. start + len - 1 < 2^32 after checkRange.
llvm::Value *rangeAddress(FunctionTranslator &t, llvm::Value *start32, llvm::Value *len32) {
  llvm::Value *first = t.memoryAddress(start32, 0, 1);
  llvm::Value *last32 = t.b.CreateSub(t.b.CreateAdd(start32, len32), t.b.getInt32(1));
  t.memoryAddress(last32, 0, 1);
  return first;
}

void emitMemoryFill(FunctionTranslator &t, const wabt::MemoryFillExpr &e) {
  if (!checkMemory(t, e.memidx))
    return;
  llvm::Value *len = t.pop();
  llvm::Value *value = t.pop();
  llvm::Value *dst = t.pop();
  llvm::Value *len64 = t.b.CreateZExt(len, t.i64());
  checkRange(t, dst, len64, t.memorySizeBytes());
  ifNonEmpty(t, len, [&] {
    llvm::Value *p = rangeAddress(t, dst, len);
    t.b.CreateMemSet(p, t.b.CreateTrunc(value, t.i8()), len64, llvm::MaybeAlign(1));
  });
}

void emitMemoryCopy(FunctionTranslator &t, const wabt::MemoryCopyExpr &e) {
  if (!checkMemory(t, e.srcmemidx) || !checkMemory(t, e.destmemidx))
    return;
  llvm::Value *len = t.pop();
  llvm::Value *src = t.pop();
  llvm::Value *dst = t.pop();
  llvm::Value *len64 = t.b.CreateZExt(len, t.i64());
  llvm::Value *size = t.memorySizeBytes();
  checkRange(t, src, len64, size);
  checkRange(t, dst, len64, size);
  ifNonEmpty(t, len, [&] {
    llvm::Value *d = rangeAddress(t, dst, len);
    llvm::Value *s = rangeAddress(t, src, len);
    // Source and destination may overlap: memmove, never memcpy.
    t.b.CreateMemMove(d, llvm::MaybeAlign(1), s, llvm::MaybeAlign(1), len64);
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
    if (!checkMemory(t, wabt::cast<wabt::MemorySizeExpr>(&e)->memidx))
      return;
    llvm::Value *pages = t.b.CreateLShr(t.memorySizeBytes(), 16);
    t.push(t.b.CreateTrunc(pages, t.i32()));
    break;
  }
  case wabt::ExprType::MemoryGrow: {
    if (!checkMemory(t, wabt::cast<wabt::MemoryGrowExpr>(&e)->memidx))
      return;
    llvm::Value *delta = t.pop();
    t.push(t.callRuntime(RuntimeCall::pw_memory_grow, {t.ctx, delta}));
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
    if (!checkMemory(t, init.memidx))
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
    llvm::Value *dst = t.pop();
    t.callRuntime(RuntimeCall::pw_memory_init,
                  {t.ctx, t.b.getInt32(init.var.index()), dst, src, len});
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

// Threads proposal: atomic loads/stores/read-modify-writes, wait/notify and fence. Every atomic
// access is sequentially consistent and naturally aligned; a misaligned effective address traps
// before memory is touched.
#include "compile/translator.h"

#include <wabt/cast.h>

namespace parawasm::compile {
namespace {

using wabt::Opcode;
constexpr auto kSeqCst = llvm::AtomicOrdering::SequentiallyConsistent;

// Alignment is checked before bounds, as the reference interpreter does. An alignment immediate
// below the natural one (newer threads rule; wabt's validator still rejects it) traps whatever
// the address.
void checkAligned(FunctionTranslator &t, llvm::Value *addr, uint64_t offset, unsigned bytes,
                  uint64_t alignHint) {
  if (alignHint < bytes) {
    // trapIf keeps a (dead) insertion block for the rest of the operator, unlike trap().
    t.trapIf(t.b.getTrue(), TrapCode::UnalignedAtomic);
    return;
  }
  if (bytes <= 1)
    return;
  // Only the low bits matter, which a 64-bit sum that wraps keeps: the bounds check (and its
  // trap for a sum past 2^64) comes after.
  llvm::Value *ea = t.b.CreateAdd(t.b.CreateZExt(addr, t.i64()), t.b.getInt64(offset));
  llvm::Value *misaligned =
      t.b.CreateICmpNE(t.b.CreateAnd(ea, t.b.getInt64(bytes - 1)), t.b.getInt64(0));
  t.trapIf(misaligned, TrapCode::UnalignedAtomic);
}

// Narrow accesses work on iN and zero-extend their result back to the Wasm type.
llvm::Value *narrow(FunctionTranslator &t, llvm::Value *v, llvm::Type *memTy) {
  return v->getType() == memTy ? v : t.b.CreateTrunc(v, memTy);
}
llvm::Value *widen(FunctionTranslator &t, llvm::Value *v, llvm::Type *wasmTy) {
  return v->getType() == wasmTy ? v : t.b.CreateZExt(v, wasmTy);
}

bool rmwOperation(Opcode op, llvm::AtomicRMWInst::BinOp &out) {
  using B = llvm::AtomicRMWInst;
  switch (op) {
  case Opcode::I32AtomicRmwAdd:
  case Opcode::I64AtomicRmwAdd:
  case Opcode::I32AtomicRmw8AddU:
  case Opcode::I32AtomicRmw16AddU:
  case Opcode::I64AtomicRmw8AddU:
  case Opcode::I64AtomicRmw16AddU:
  case Opcode::I64AtomicRmw32AddU:
    out = B::Add;
    return true;
  case Opcode::I32AtomicRmwSub:
  case Opcode::I64AtomicRmwSub:
  case Opcode::I32AtomicRmw8SubU:
  case Opcode::I32AtomicRmw16SubU:
  case Opcode::I64AtomicRmw8SubU:
  case Opcode::I64AtomicRmw16SubU:
  case Opcode::I64AtomicRmw32SubU:
    out = B::Sub;
    return true;
  case Opcode::I32AtomicRmwAnd:
  case Opcode::I64AtomicRmwAnd:
  case Opcode::I32AtomicRmw8AndU:
  case Opcode::I32AtomicRmw16AndU:
  case Opcode::I64AtomicRmw8AndU:
  case Opcode::I64AtomicRmw16AndU:
  case Opcode::I64AtomicRmw32AndU:
    out = B::And;
    return true;
  case Opcode::I32AtomicRmwOr:
  case Opcode::I64AtomicRmwOr:
  case Opcode::I32AtomicRmw8OrU:
  case Opcode::I32AtomicRmw16OrU:
  case Opcode::I64AtomicRmw8OrU:
  case Opcode::I64AtomicRmw16OrU:
  case Opcode::I64AtomicRmw32OrU:
    out = B::Or;
    return true;
  case Opcode::I32AtomicRmwXor:
  case Opcode::I64AtomicRmwXor:
  case Opcode::I32AtomicRmw8XorU:
  case Opcode::I32AtomicRmw16XorU:
  case Opcode::I64AtomicRmw8XorU:
  case Opcode::I64AtomicRmw16XorU:
  case Opcode::I64AtomicRmw32XorU:
    out = B::Xor;
    return true;
  case Opcode::I32AtomicRmwXchg:
  case Opcode::I64AtomicRmwXchg:
  case Opcode::I32AtomicRmw8XchgU:
  case Opcode::I32AtomicRmw16XchgU:
  case Opcode::I64AtomicRmw8XchgU:
  case Opcode::I64AtomicRmw16XchgU:
  case Opcode::I64AtomicRmw32XchgU:
    out = B::Xchg;
    return true;
  default:
    return false;
  }
}

// The access width and Wasm value type come from wabt's opcode table (opcode.def).
struct Access {
  unsigned bytes;
  llvm::Type *memTy;
};
Access accessOf(FunctionTranslator &t, Opcode op) {
  unsigned bytes = unsigned(op.GetMemorySize());
  return {bytes, t.b.getIntNTy(bytes * 8)};
}

void emitAtomicLoad(FunctionTranslator &t, const wabt::AtomicLoadExpr &e) {
  auto mem = t.memoryOperand(e.memidx);
  if (!mem)
    return;
  Access a = accessOf(t, e.opcode);
  llvm::Value *addr = t.pop();
  checkAligned(t, addr, e.offset, a.bytes, e.align);
  llvm::Value *p = t.memoryAddress(*mem, addr, e.offset, a.bytes);
  llvm::LoadInst *load = t.b.CreateAlignedLoad(a.memTy, p, llvm::Align(a.bytes));
  load->setAtomic(kSeqCst);
  t.push(widen(t, load, t.type(e.opcode.GetResultType())));
}

void emitAtomicStore(FunctionTranslator &t, const wabt::AtomicStoreExpr &e) {
  auto mem = t.memoryOperand(e.memidx);
  if (!mem)
    return;
  Access a = accessOf(t, e.opcode);
  llvm::Value *value = t.pop();
  llvm::Value *addr = t.pop();
  checkAligned(t, addr, e.offset, a.bytes, e.align);
  llvm::Value *p = t.memoryAddress(*mem, addr, e.offset, a.bytes);
  llvm::StoreInst *store =
      t.b.CreateAlignedStore(narrow(t, value, a.memTy), p, llvm::Align(a.bytes));
  store->setAtomic(kSeqCst);
}

void emitAtomicRmw(FunctionTranslator &t, const wabt::AtomicRmwExpr &e) {
  auto mem = t.memoryOperand(e.memidx);
  if (!mem)
    return;
  llvm::AtomicRMWInst::BinOp op;
  if (!rmwOperation(e.opcode, op))
    return t.fail(std::string("emitAtomic: unexpected rmw opcode ") + e.opcode.GetName());
  Access a = accessOf(t, e.opcode);
  llvm::Value *value = t.pop();
  llvm::Value *addr = t.pop();
  checkAligned(t, addr, e.offset, a.bytes, e.align);
  llvm::Value *p = t.memoryAddress(*mem, addr, e.offset, a.bytes);
  llvm::Value *old =
      t.b.CreateAtomicRMW(op, p, narrow(t, value, a.memTy), llvm::MaybeAlign(a.bytes), kSeqCst);
  t.push(widen(t, old, value->getType()));
}

void emitAtomicCmpxchg(FunctionTranslator &t, const wabt::AtomicRmwCmpxchgExpr &e) {
  auto mem = t.memoryOperand(e.memidx);
  if (!mem)
    return;
  Access a = accessOf(t, e.opcode);
  llvm::Value *replacement = t.pop();
  llvm::Value *expected = t.pop();
  llvm::Value *addr = t.pop();
  checkAligned(t, addr, e.offset, a.bytes, e.align);
  llvm::Value *p = t.memoryAddress(*mem, addr, e.offset, a.bytes);
  // The narrow forms compare against the expected value wrapped to the access width.
  llvm::Value *pair =
      t.b.CreateAtomicCmpXchg(p, narrow(t, expected, a.memTy), narrow(t, replacement, a.memTy),
                              llvm::MaybeAlign(a.bytes), kSeqCst, kSeqCst);
  t.push(widen(t, t.b.CreateExtractValue(pair, 0), expected->getType()));
}

void emitAtomicWait(FunctionTranslator &t, const wabt::AtomicWaitExpr &e) {
  auto mem = t.memoryOperand(e.memidx);
  if (!mem)
    return;
  bool is64 = e.opcode == Opcode::MemoryAtomicWait64;
  if (!is64 && e.opcode != Opcode::MemoryAtomicWait32)
    return t.fail(std::string("emitAtomic: unexpected wait opcode ") + e.opcode.GetName());
  llvm::Value *timeout = t.pop();
  llvm::Value *expected = t.pop();
  llvm::Value *addr = t.pop();
  checkAligned(t, addr, e.offset, is64 ? 8 : 4, e.align);
  if (t.policy.checkKernelBuffers) // the runtime below checks only the memory's bounds
    t.memoryAddress(*mem, addr, e.offset, is64 ? 8 : 4);
  // The runtime checks bounds and sharedness and does the waiting.
  llvm::Value *ea = t.effectiveAddress(*mem, addr, e.offset);
  t.push(t.callRuntime(is64 ? RuntimeCall::pw_atomic_wait64 : RuntimeCall::pw_atomic_wait32,
                       {t.ctx, t.b.getInt32(mem->index), ea, expected, timeout}));
}

void emitAtomicNotify(FunctionTranslator &t, const wabt::AtomicNotifyExpr &e) {
  auto mem = t.memoryOperand(e.memidx);
  if (!mem)
    return;
  llvm::Value *count = t.pop();
  llvm::Value *addr = t.pop();
  checkAligned(t, addr, e.offset, 4, e.align);
  if (t.policy.checkKernelBuffers) // the runtime below checks only the memory's bounds
    t.memoryAddress(*mem, addr, e.offset, 4);
  llvm::Value *ea = t.effectiveAddress(*mem, addr, e.offset);
  t.push(
      t.callRuntime(RuntimeCall::pw_atomic_notify, {t.ctx, t.b.getInt32(mem->index), ea, count}));
}

} // namespace

void emitAtomic(FunctionTranslator &t, const wabt::Expr &e) {
  switch (e.type()) {
  case wabt::ExprType::AtomicLoad:
    emitAtomicLoad(t, *wabt::cast<wabt::AtomicLoadExpr>(&e));
    break;
  case wabt::ExprType::AtomicStore:
    emitAtomicStore(t, *wabt::cast<wabt::AtomicStoreExpr>(&e));
    break;
  case wabt::ExprType::AtomicRmw:
    emitAtomicRmw(t, *wabt::cast<wabt::AtomicRmwExpr>(&e));
    break;
  case wabt::ExprType::AtomicRmwCmpxchg:
    emitAtomicCmpxchg(t, *wabt::cast<wabt::AtomicRmwCmpxchgExpr>(&e));
    break;
  case wabt::ExprType::AtomicWait:
    emitAtomicWait(t, *wabt::cast<wabt::AtomicWaitExpr>(&e));
    break;
  case wabt::ExprType::AtomicNotify:
    emitAtomicNotify(t, *wabt::cast<wabt::AtomicNotifyExpr>(&e));
    break;
  case wabt::ExprType::AtomicFence:
    t.b.CreateFence(kSeqCst);
    break;
  default:
    t.fail(std::string("emitAtomic: unexpected expression ") + wabt::GetExprTypeName(e.type()));
  }
}

} // namespace parawasm::compile

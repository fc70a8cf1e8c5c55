#include "compile/translator.h"

#include "compile/canonical_nan.h"
#include "compile/load_anchors.h"
#include "wasm/wabt_util.h"

#include <llvm/IR/MDBuilder.h>
#include <llvm/Support/ErrorHandling.h>
#include <llvm/Transforms/Utils/Local.h>

namespace parawasm::compile {

using llvm::BasicBlock;
using llvm::Value;

wabt::Opcode exprOpcode(const wabt::Expr &e) {
  switch (e.type()) {
  case wabt::ExprType::Unary:
    return wabt::cast<wabt::UnaryExpr>(&e)->opcode;
  case wabt::ExprType::Binary:
    return wabt::cast<wabt::BinaryExpr>(&e)->opcode;
  case wabt::ExprType::Compare:
    return wabt::cast<wabt::CompareExpr>(&e)->opcode;
  case wabt::ExprType::Convert:
    return wabt::cast<wabt::ConvertExpr>(&e)->opcode;
  case wabt::ExprType::Ternary:
    return wabt::cast<wabt::TernaryExpr>(&e)->opcode;
  case wabt::ExprType::Load:
    return wabt::cast<wabt::LoadExpr>(&e)->opcode;
  case wabt::ExprType::Store:
    return wabt::cast<wabt::StoreExpr>(&e)->opcode;
  case wabt::ExprType::LoadSplat:
    return wabt::cast<wabt::LoadSplatExpr>(&e)->opcode;
  case wabt::ExprType::LoadZero:
    return wabt::cast<wabt::LoadZeroExpr>(&e)->opcode;
  default:
    llvm_unreachable("exprOpcode: an expression without an operator opcode");
  }
}

llvm::Type *valueType(llvm::LLVMContext &c, ValType t) {
  switch (t) {
  case ValType::I32:
    return llvm::Type::getInt32Ty(c);
  case ValType::I64:
    return llvm::Type::getInt64Ty(c);
  case ValType::F32:
    return llvm::Type::getFloatTy(c);
  case ValType::F64:
    return llvm::Type::getDoubleTy(c);
  case ValType::V128:
    return llvm::FixedVectorType::get(llvm::Type::getInt32Ty(c), 4);
  default:
    return llvm::PointerType::get(c, 0);
  }
}

llvm::Type *resultType(llvm::LLVMContext &c, const FuncType &type) {
  if (type.results.empty())
    return llvm::Type::getVoidTy(c);
  if (type.results.size() == 1)
    return valueType(c, type.results[0]);
  std::vector<llvm::Type *> fields;
  for (ValType t : type.results)
    fields.push_back(valueType(c, t));
  return llvm::StructType::get(c, fields);
}

llvm::FunctionType *nativeFunctionType(llvm::LLVMContext &c, const FuncType &type) {
  std::vector<llvm::Type *> params{llvm::PointerType::get(c, 0), llvm::PointerType::get(c, 0)};
  for (ValType t : type.params)
    params.push_back(valueType(c, t));
  return llvm::FunctionType::get(resultType(c, type), params, false);
}

llvm::Function *declareWasmFunction(llvm::Module &m, const vm::ModuleInfo &info, uint32_t index,
                                    llvm::CallingConv::ID cc) {
  std::string name = "pwf_" + std::to_string(index);
  llvm::Function *f = m.getFunction(name);
  if (!f) {
    f = llvm::Function::Create(nativeFunctionType(m.getContext(), info.funcType(index)),
                               llvm::Function::ExternalLinkage, name, m);
    f->setCallingConv(cc);
  }
  return f;
}

FunctionTranslator::FunctionTranslator(llvm::Module &llmod, TargetPolicy &policy,
                                       const wabt::Module &wmod, const vm::ModuleInfo &info,
                                       llvm::Function *fn, uint32_t funcIndex)
    : llctx(llmod.getContext()), llmod(llmod), b(llmod.getContext()), policy(policy), wmod(wmod),
      info(info), fn(fn), funcIndex(funcIndex) {}

Value *FunctionTranslator::pop() {
  if (stack_.empty()) {
    fail("operand stack underflow");
    return llvm::PoisonValue::get(i32());
  }
  Value *v = stack_.back();
  stack_.pop_back();
  return v;
}

llvm::Type *FunctionTranslator::type(ValType t) { return valueType(llctx, t); }

llvm::Type *FunctionTranslator::type(wabt::Type t) { return type(wasm::toValType(t)); }

void FunctionTranslator::trap(TrapCode code) {
  policy.emitTrap(*this, code);
  startUnreachable();
}

void FunctionTranslator::trapIf(Value *cond, TrapCode code) {
  unsigned slot = static_cast<unsigned>(code);
  BasicBlock *&trapBlock = trapBlocks_[slot];
  if (!trapBlock) {
    // One cold block per trap kind and function keeps the hot path small.
    BasicBlock *saved = b.GetInsertBlock();
    trapBlock = BasicBlock::Create(llctx, std::string("trap.") + trapCodeName(code), fn);
    b.SetInsertPoint(trapBlock);
    policy.emitTrap(*this, code);
    b.SetInsertPoint(saved);
  }
  BasicBlock *cont = BasicBlock::Create(llctx, "cont", fn);
  llvm::MDBuilder md(llctx);
  b.CreateCondBr(cond, trapBlock, cont, md.createBranchWeights(1, 1u << 20));
  b.SetInsertPoint(cont);
}

Value *FunctionTranslator::loadContextField(size_t offset, llvm::Type *ty, bool invariant) {
  Value *addr = b.CreateConstInBoundsGEP1_64(i8(), ctx, offset);
  llvm::LoadInst *load = b.CreateLoad(ty, addr);
  if (invariant)
    load->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(llctx, {}));
  return load;
}

// llvm.minimum/maximum propagate NaN and order -0 below +0 as Wasm does, but x86 hands back a
// signalling NaN operand unchanged, and its AVX-512 lowering even returns the other operand for
// one (LLVM 19 classifies only quiet NaNs there). Where either operand is a NaN, x + y is one,
// made quiet by its quiet bit (LLVM folds x + -0 to x, which would let a signalling x through).
Value *FunctionTranslator::minMax(llvm::Intrinsic::ID id, Value *x, Value *y) {
  llvm::Type *ty = x->getType();
  llvm::Type *element = ty->getScalarType();
  unsigned width = element->getPrimitiveSizeInBits().getFixedValue();
  unsigned mantissaBits = llvm::APFloat::semanticsPrecision(element->getFltSemantics()) - 1;
  llvm::Type *bitsTy = b.getIntNTy(width);
  if (auto *vector = llvm::dyn_cast<llvm::VectorType>(ty))
    bitsTy = llvm::VectorType::get(bitsTy, vector->getElementCount());
  // One statement each: argument order is the host compiler's choice, the IR must not be.
  Value *ordered = callIntrinsic(id, {ty}, {x, y});
  Value *nan = b.CreateFAdd(x, y);
  Value *quietBit = llvm::ConstantInt::get(bitsTy, uint64_t(1) << (mantissaBits - 1));
  Value *quieted = b.CreateBitCast(b.CreateOr(b.CreateBitCast(nan, bitsTy), quietBit), ty);
  return b.CreateSelect(b.CreateFCmpUNO(x, y), quieted, ordered);
}

Value *FunctionTranslator::memoryLoad(MemoryRef mem, llvm::Type *ty, Value *p) {
  llvm::LoadInst *load = b.CreateAlignedLoad(ty, p, llvm::Align(1));
  if (policy.accessIsTheCheck(mem))
    anchorLoad(b, load);
  return load;
}

Value *FunctionTranslator::memoryBase(uint32_t index) {
  // Loaded once, at the top of the function: the base never moves (memory.grow only changes
  // page protection), so one load serves every access, before and after any call or grow.
  if (index >= memoryBases_.size())
    memoryBases_.resize(index + 1, nullptr);
  Value *&base = memoryBases_[index];
  if (!base) {
    llvm::IRBuilderBase::InsertPointGuard guard(b);
    b.SetInsertPoint(&fn->getEntryBlock(), fn->getEntryBlock().getFirstInsertionPt());
    if (index == 0) {
      base = loadContextField(offsetof(vm::VMContext, memoryBase), ptr(), true);
      // Only a 32-bit memory 0's base is marked: address widening versions loops of zext(i32)
      // addresses against memory 0's size, so it must see no other memory's accesses.
      if (info.memories.empty() || !info.memories[0].index64)
        llvm::cast<llvm::Instruction>(base)->setMetadata(kMemoryBaseMetadata,
                                                         llvm::MDNode::get(llctx, {}));
    } else {
      Value *memories = loadContextField(offsetof(vm::VMContext, memories), ptr(), true);
      auto invariantLoad = [&](Value *addr) {
        llvm::LoadInst *load = b.CreateAlignedLoad(ptr(), addr, llvm::Align(8));
        load->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(llctx, {}));
        return load;
      };
      Value *memory = invariantLoad(b.CreateConstInBoundsGEP1_64(ptr(), memories, index));
      base =
          invariantLoad(b.CreateConstInBoundsGEP1_64(i8(), memory, offsetof(vm::VMMemory, base)));
    }
  }
  return base;
}

std::pair<Value *, Value *> FunctionTranslator::kernelSpan() {
  // The device writes the span between launches only, never while kernel code runs: the loads
  // are invariant for the whole call, so they go to the top of the function and no store to
  // guest memory (which might alias them as far as LLVM knows) makes it reload them.
  if (!kernelSpan_.first) {
    llvm::IRBuilderBase::InsertPointGuard guard(b);
    b.SetInsertPoint(&fn->getEntryBlock(), fn->getEntryBlock().getFirstInsertionPt());
    Value *kernel = loadContextField(offsetof(vm::VMContext, kernel), ptr(), true);
    auto field = [&](size_t offset) {
      llvm::LoadInst *load = b.CreateAlignedLoad(
          i64(), b.CreateConstInBoundsGEP1_64(i8(), kernel, offset), llvm::Align(8));
      load->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(llctx, {}));
      return load;
    };
    kernelSpan_ = {field(offsetof(vm::VMKernelContext, spanStart)),
                   field(offsetof(vm::VMKernelContext, spanEnd))};
  }
  return kernelSpan_;
}

Value *FunctionTranslator::popCondition() {
  Value *v = pop();
  // Comparisons produce zext(i1): branch on the i1 itself rather than on a fresh compare with
  // zero, which hides loop exit conditions from SCEV until InstCombine runs.
  if (auto *z = llvm::dyn_cast<llvm::ZExtInst>(v); z && z->getSrcTy()->isIntegerTy(1))
    return z->getOperand(0);
  return b.CreateICmpNE(v, b.getInt32(0));
}

Value *FunctionTranslator::callRuntime(RuntimeCall which, llvm::ArrayRef<Value *> args) {
  static const struct {
    const char *name, *ret, *params;
  } kCalls[] = {
#define PW_RUNTIME(sym, ret, params) {#sym, ret, params},
#include "vm/runtime_calls.def"
#undef PW_RUNTIME
  };
  const auto &desc = kCalls[static_cast<unsigned>(which)];
  auto letter = [&](char c) -> llvm::Type * {
    switch (c) {
    case 'i':
      return i32();
    case 'l':
      return i64();
    case 'p':
      return ptr();
    default:
      return b.getVoidTy();
    }
  };
  if (!policy.allowsRuntimeCalls()) {
    fail(std::string("operator needs the host runtime (") + desc.name +
             "), which this device cannot call",
         TranslateErrorKind::Unsupported);
    llvm::Type *rt = letter(desc.ret[0]);
    return rt->isVoidTy() ? nullptr : llvm::PoisonValue::get(rt);
  }
  std::vector<llvm::Type *> params;
  for (const char *p = desc.params; *p; ++p)
    params.push_back(letter(*p));
  auto *fty = llvm::FunctionType::get(letter(desc.ret[0]), params, false);
  llvm::FunctionCallee callee = llmod.getOrInsertFunction(desc.name, fty);
  if (auto *f = llvm::dyn_cast<llvm::Function>(callee.getCallee())) {
    f->addFnAttr(llvm::Attribute::NoUnwind);
    if (which == RuntimeCall::pw_trap || which == RuntimeCall::pw_raise_pending) {
      f->addFnAttr(llvm::Attribute::NoReturn);
      f->addFnAttr(llvm::Attribute::Cold);
    }
  }
  return b.CreateCall(callee, args);
}

Value *FunctionTranslator::callIntrinsic(llvm::Intrinsic::ID id, llvm::ArrayRef<llvm::Type *> types,
                                         llvm::ArrayRef<Value *> args) {
  llvm::Function *f = llvm::Intrinsic::getDeclaration(&llmod, id, types);
  return b.CreateCall(f, args);
}

void FunctionTranslator::startUnreachable() { unreachable_ = true; }

namespace {

// What running `exprs` once costs in fuel: one unit per instruction, those of nested blocks and
// both arms of an `if` included (an upper bound for the path taken), those of nested loops not
// (each loop charges its own body per iteration, at its header).
uint64_t fuelCost(const wabt::ExprList &exprs) {
  uint64_t cost = 0;
  for (const wabt::Expr &e : exprs) {
    ++cost;
    if (auto *block = wabt::dyn_cast<wabt::BlockExpr>(&e))
      cost += fuelCost(block->block.exprs);
    else if (auto *ifExpr = wabt::dyn_cast<wabt::IfExpr>(&e))
      cost += fuelCost(ifExpr->true_.exprs) + fuelCost(ifExpr->false_);
  }
  return cost;
}

} // namespace

void FunctionTranslator::chargeFuel(uint64_t cost) {
  if (!policy.consumeFuel)
    return;
  // A plain (non-atomic) field: an instance's fuel is only touched by the thread running it, so
  // LLVM may keep it in a register across a loop that calls nothing.
  Value *addr = b.CreateConstInBoundsGEP1_64(i8(), ctx, offsetof(vm::VMContext, fuel));
  Value *left = b.CreateSub(b.CreateLoad(i64(), addr), b.getInt64(cost));
  b.CreateStore(left, addr);
  trapIf(b.CreateICmpSLT(left, b.getInt64(0)), TrapCode::OutOfFuel);
}

void FunctionTranslator::addSlots(const std::vector<wabt::Type> &types, std::vector<Value *> &slots,
                                  std::vector<llvm::Type *> &lltypes) {
  // In the entry block, so mem2reg/SROA can turn them into phis.
  llvm::IRBuilder<> entry(&fn->getEntryBlock(), fn->getEntryBlock().begin());
  for (wabt::Type t : types) {
    lltypes.push_back(type(t));
    slots.push_back(entry.CreateAlloca(type(t)));
  }
}

Value *FunctionTranslator::canonicalizeNaN(Value *v) {
  if (!policy.canonicalizesNaN() || !v->getType()->isFPOrFPVectorTy())
    return v;
  // Marked here, canonicalised after optimisation where a NaN's bits can be seen.
  return markCanonicalNaN(b, v);
}

void FunctionTranslator::blockSignature(const wabt::BlockDeclaration &decl,
                                        std::vector<wabt::Type> &params,
                                        std::vector<wabt::Type> &results) {
  params.assign(decl.sig.param_types.begin(), decl.sig.param_types.end());
  results.assign(decl.sig.result_types.begin(), decl.sig.result_types.end());
}

// An implementation limit, as Wasmtime and V8 have: every local becomes a stack slot, so a few
// bytes declaring 2^31 locals would otherwise take the compiler's time and memory without end
// (found by fuzzing: tests/fuzz/regressions/module/too_many_locals.wasm).
constexpr uint64_t kMaxLocals = 50000;

bool FunctionTranslator::translate(const wabt::Func &func) {
  uint64_t declared = func.GetNumParams();
  for (const auto &decl : func.local_types.decls()) // summed in 64 bits: the count may wrap
    declared += decl.second;
  if (declared > kMaxLocals) {
    fail("the function has " + std::to_string(declared) + " parameters and locals, more than " +
             std::to_string(kMaxLocals),
         TranslateErrorKind::LimitExceeded);
    return false;
  }
  BasicBlock *entry = BasicBlock::Create(llctx, "entry", fn);
  b.SetInsertPoint(entry);
  ctx = fn->getArg(0);
  uint32_t numParams = func.GetNumParams();
  uint32_t numLocals = func.GetNumParamsAndLocals();
  for (uint32_t i = 0; i < numLocals; ++i) {
    llvm::Type *ty = type(func.GetLocalType(i));
    Value *slot = b.CreateAlloca(ty);
    localTypes_.push_back(ty);
    locals_.push_back(slot);
    Value *init =
        loopEntry
            ? b.CreateAlignedLoad(ty, b.CreateConstInBoundsGEP1_64(i8(), fn->getArg(2), 16 * i),
                                  llvm::Align(8))
        : i < numParams ? static_cast<Value *>(fn->getArg(2 + i))
                        : llvm::Constant::getNullValue(ty);
    b.CreateStore(init, slot);
  }
  Label body;
  body.end = BasicBlock::Create(llctx, "return", fn);
  body.target = body.end;
  for (wabt::Type t : func.decl.sig.result_types) {
    body.types.push_back(type(t));
    body.slots.push_back(b.CreateAlloca(type(t)));
  }
  body.resultSlots = body.slots;
  body.resultTypes = body.types;
  body.stackHeight = 0;
  labels_.push_back(body);
  // A loop entry jumps from here to the loop's header (set below, once it exists); the code
  // before the loop is then unreachable and removed.
  llvm::BranchInst *toLoop = nullptr;
  if (loopEntry) {
    BasicBlock *start = BasicBlock::Create(llctx, "start", fn);
    toLoop = b.CreateBr(start);
    b.SetInsertPoint(start);
  }
  beginExceptions();
  chargeFuel(1 + fuelCost(func.exprs));
  translateList(func.exprs);
  if (!unreachable_) {
    storeBranchValues(labels_.back());
    b.CreateBr(body.end);
  }
  b.SetInsertPoint(body.end);
  labels_.pop_back();
  if (loopEntry) {
    if (!loopEntryBlock_)
      fail("the loop entry's loop was not translated with an empty operand stack",
           TranslateErrorKind::Unsupported);
    else
      toLoop->setSuccessor(0, loopEntryBlock_);
    for (unsigned i = 0; i < body.types.size(); ++i)
      b.CreateAlignedStore(b.CreateLoad(body.types[i], body.slots[i]),
                           b.CreateConstInBoundsGEP1_64(i8(), fn->getArg(2), 16 * i),
                           llvm::Align(8));
    b.CreateRetVoid();
  } else if (body.types.empty()) {
    b.CreateRetVoid();
  } else if (body.types.size() == 1) {
    b.CreateRet(b.CreateLoad(body.types[0], body.slots[0]));
  } else {
    Value *agg = llvm::PoisonValue::get(fn->getReturnType());
    for (unsigned i = 0; i < body.types.size(); ++i)
      agg = b.CreateInsertValue(agg, b.CreateLoad(body.types[i], body.slots[i]), i);
    b.CreateRet(agg);
  }
  // Dead code leaves blocks without terminators (or without predecessors): close and drop them.
  for (BasicBlock &bb : *fn) {
    if (!bb.getTerminator()) {
      b.SetInsertPoint(&bb);
      b.CreateUnreachable();
    }
  }
  llvm::removeUnreachableBlocks(*fn);
  policy.decorateFunction(*fn);
  return !error.has_value();
}

void FunctionTranslator::translateList(const wabt::ExprList &exprs) {
  for (const wabt::Expr &e : exprs) {
    if (unreachable_ || error)
      return;
    translateExpr(e);
  }
}

void FunctionTranslator::storeBranchValues(const Label &label) {
  size_t n = label.slots.size();
  if (stack_.size() < n) {
    fail("operand stack underflow at branch");
    return;
  }
  for (size_t i = 0; i < n; ++i)
    b.CreateStore(stack_[stack_.size() - n + i], label.slots[i]);
}

void FunctionTranslator::branchTo(uint32_t depth) {
  const Label &label = labels_[labels_.size() - 1 - depth];
  storeBranchValues(label);
  b.CreateBr(label.target);
}

// An implementation limit, as the spec allows: deeper nesting is refused, not crashed on.
bool FunctionTranslator::refuseDeeperNesting() {
  constexpr size_t kMaxControlNesting = 20000;
  if (labels_.size() <= kMaxControlNesting)
    return false;
  fail("control flow nested deeper than " + std::to_string(kMaxControlNesting) + " levels",
       TranslateErrorKind::LimitExceeded);
  return true;
}

void FunctionTranslator::translateBlock(const wabt::Block &block, bool isLoop) {
  if (refuseDeeperNesting())
    return;
  std::vector<wabt::Type> params, results;
  blockSignature(block.decl, params, results);
  Label label;
  label.stackHeight = stack_.size() - params.size();
  label.handler = currentHandler();
  label.end = BasicBlock::Create(llctx, isLoop ? "loop.end" : "block.end", fn);
  addSlots(results, label.resultSlots, label.resultTypes);
  if (isLoop) {
    label.target = BasicBlock::Create(llctx, "loop", fn);
    addSlots(params, label.slots, label.types);
    storeBranchValues(label);
    stack_.resize(label.stackHeight);
    b.CreateBr(label.target);
    b.SetInsertPoint(label.target);
    if (enteringLoop_ && stack_.empty() && params.empty())
      loopEntryBlock_ = label.target;
    enteringLoop_ = false;
    chargeFuel(fuelCost(block.exprs));
    for (size_t i = 0; i < label.slots.size(); ++i)
      push(b.CreateLoad(label.types[i], label.slots[i]));
  } else {
    label.target = label.end;
    label.slots = label.resultSlots;
    label.types = label.resultTypes;
  }
  labels_.push_back(label);
  translateList(block.exprs);
  Label done = labels_.back();
  labels_.pop_back();
  fallThroughToEnd(done);
  continueAtEnd(done);
}

void FunctionTranslator::fallThroughToEnd(const Label &label) {
  // After an error the operand stack no longer matches the code: nothing more is emitted.
  if (unreachable_ || error)
    return;
  size_t n = label.resultSlots.size();
  for (size_t i = 0; i < n; ++i)
    b.CreateStore(stack_[stack_.size() - n + i], label.resultSlots[i]);
  b.CreateBr(label.end);
}

void FunctionTranslator::continueAtEnd(const Label &label) {
  stack_.resize(label.stackHeight);
  b.SetInsertPoint(label.end);
  if (llvm::pred_empty(label.end)) {
    unreachable_ = true;
    return;
  }
  unreachable_ = false;
  for (size_t i = 0; i < label.resultSlots.size(); ++i)
    push(b.CreateLoad(label.resultTypes[i], label.resultSlots[i]));
}

void FunctionTranslator::translateIf(const wabt::IfExpr &e) {
  if (refuseDeeperNesting())
    return;
  std::vector<wabt::Type> params, results;
  blockSignature(e.true_.decl, params, results);
  Value *cond = popCondition();
  std::vector<Value *> args(stack_.end() - params.size(), stack_.end());
  stack_.resize(stack_.size() - params.size());
  Label label;
  label.stackHeight = stack_.size();
  label.handler = currentHandler();
  label.end = BasicBlock::Create(llctx, "if.end", fn);
  label.target = label.end;
  addSlots(results, label.slots, label.types);
  label.resultSlots = label.slots;
  label.resultTypes = label.types;
  BasicBlock *thenBlock = BasicBlock::Create(llctx, "if.then", fn);
  BasicBlock *elseBlock = BasicBlock::Create(llctx, "if.else", fn);
  b.CreateCondBr(cond, thenBlock, elseBlock);
  auto arm = [&](BasicBlock *bb, const wabt::ExprList &exprs) {
    b.SetInsertPoint(bb);
    unreachable_ = false;
    stack_.resize(label.stackHeight);
    for (Value *a : args)
      push(a);
    labels_.push_back(label);
    translateList(exprs);
    labels_.pop_back();
    if (!unreachable_) {
      storeBranchValues(label);
      b.CreateBr(label.end);
    }
  };
  arm(thenBlock, e.true_.exprs);
  arm(elseBlock, e.false_);
  stack_.resize(label.stackHeight);
  b.SetInsertPoint(label.end);
  if (llvm::pred_empty(label.end)) {
    unreachable_ = true;
    return;
  }
  unreachable_ = false;
  for (size_t i = 0; i < label.slots.size(); ++i)
    push(b.CreateLoad(label.types[i], label.slots[i]));
}

Value *FunctionTranslator::globalAddress(uint32_t globalIndex) {
  Value *cells = loadContextField(offsetof(vm::VMContext, globals), ptr(), true);
  Value *slotAddr = b.CreateConstInBoundsGEP1_64(ptr(), cells, globalIndex);
  llvm::LoadInst *cell = b.CreateLoad(ptr(), slotAddr);
  cell->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(llctx, {}));
  return cell;
}

void FunctionTranslator::emitCall(uint32_t calleeIndex, bool tail) {
  const FuncType &ft = info.funcType(calleeIndex);
  std::vector<Value *> args(ft.params.size() + 2);
  for (size_t i = ft.params.size(); i-- > 0;)
    args[2 + i] = pop();
  args[1] = ctx;
  llvm::FunctionType *fty = nativeFunctionType(llctx, ft);
  llvm::CallInst *call;
  if (calleeIndex < info.numImportedFuncs) {
    Value *refs = loadContextField(offsetof(vm::VMContext, funcs), ptr(), true);
    llvm::LoadInst *ref =
        b.CreateLoad(ptr(), b.CreateConstInBoundsGEP1_64(ptr(), refs, calleeIndex));
    ref->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(llctx, {}));
    Value *code = b.CreateLoad(ptr(), ref);
    args[0] = b.CreateLoad(
        ptr(), b.CreateConstInBoundsGEP1_64(i8(), ref, offsetof(vm::VMFuncRef, calleeCtx)));
    call = b.CreateCall(fty, code, args);
  } else {
    args[0] = ctx;
    call = b.CreateCall(declareWasmFunction(llmod, info, calleeIndex, policy.callingConv()), args);
  }
  finishCall(call, ft, tail, info.mayThrow.empty() || info.mayThrow[calleeIndex]);
}

void FunctionTranslator::finishCall(llvm::CallInst *call, const FuncType &ft, bool tail,
                                    bool mayThrow) {
  call->setCallingConv(policy.callingConv());
  if (tail) {
    // return_call: the callee's results are the caller's (validation says so), so its frame may
    // replace ours. musttail guarantees it, or LLVM refuses to compile. Results that do not fit in
    // return registers would be returned through a hidden pointer into our frame, which a tail
    // call cannot do: those (more than two values) return after an ordinary call.
    bool fitsRegisters = ft.results.size() <= 2;
    if (policy.callingConv() == llvm::CallingConv::Tail && fitsRegisters)
      call->setTailCallKind(llvm::CallInst::TCK_MustTail);
    if (fn->getReturnType()->isVoidTy())
      b.CreateRetVoid();
    else
      b.CreateRet(call);
    startUnreachable();
    return;
  }
  call->setTailCallKind(llvm::CallInst::TCK_NoTail);
  if (mayThrow)
    checkException();
  if (ft.results.size() == 1)
    push(call);
  else
    for (unsigned i = 0; i < ft.results.size(); ++i)
      push(b.CreateExtractValue(call, i));
}

void FunctionTranslator::emitCallRef(Value *ref, uint32_t typeIndex, bool tail) {
  const FuncType &ft = info.types[typeIndex];
  std::vector<Value *> args(ft.params.size() + 2);
  for (size_t i = ft.params.size(); i-- > 0;)
    args[2 + i] = pop();
  args[1] = ctx;
  Value *code = b.CreateLoad(ptr(), ref);
  args[0] = b.CreateLoad(
      ptr(), b.CreateConstInBoundsGEP1_64(i8(), ref, offsetof(vm::VMFuncRef, calleeCtx)));
  finishCall(b.CreateCall(nativeFunctionType(llctx, ft), code, args), ft, tail);
}

void FunctionTranslator::emitCallIndirect(uint32_t tableIndex, uint32_t typeIndex, bool tail) {
  // wabt 1.0.32 lets a call through an externref table validate.
  if (info.tables[tableIndex].element != ValType::FuncRef)
    return fail("type mismatch: call_indirect through a table that holds no funcref");
  Value *index = pop();
  Value *tables = loadContextField(offsetof(vm::VMContext, tables), ptr(), true);
  llvm::LoadInst *table =
      b.CreateLoad(ptr(), b.CreateConstInBoundsGEP1_64(ptr(), tables, tableIndex));
  table->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(llctx, {}));
  Value *size =
      b.CreateLoad(i32(), b.CreateConstInBoundsGEP1_64(i8(), table, offsetof(vm::VMTable, size)));
  trapIf(b.CreateICmpUGE(index, size), TrapCode::UndefinedElement);
  Value *elements = b.CreateLoad(ptr(), table);
  Value *ref =
      b.CreateLoad(ptr(), b.CreateInBoundsGEP(ptr(), elements, b.CreateZExt(index, i64())));
  trapIf(b.CreateIsNull(ref), TrapCode::UninitializedElement);
  Value *typeIds = loadContextField(offsetof(vm::VMContext, typeIds), ptr(), true);
  llvm::LoadInst *expected =
      b.CreateLoad(i32(), b.CreateConstInBoundsGEP1_64(i32(), typeIds, typeIndex));
  expected->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(llctx, {}));
  Value *actual =
      b.CreateLoad(i32(), b.CreateConstInBoundsGEP1_64(i8(), ref, offsetof(vm::VMFuncRef, typeId)));
  trapIf(b.CreateICmpNE(actual, expected), TrapCode::IndirectCallTypeMismatch);
  emitCallRef(ref, typeIndex, tail);
}

void FunctionTranslator::translateExpr(const wabt::Expr &e) {
  using wabt::ExprType;
  switch (e.type()) {
  case ExprType::Nop:
    return;
  case ExprType::Unreachable:
    trap(TrapCode::Unreachable);
    return;
  case ExprType::Drop: // a dropped load still traps: memoryLoad anchors it
    pop();
    return;
  case ExprType::Select: {
    Value *cond = popCondition();
    Value *second = pop();
    Value *first = pop();
    push(b.CreateSelect(cond, first, second));
    return;
  }
  case ExprType::Block:
    translateBlock(wabt::cast<wabt::BlockExpr>(&e)->block, false);
    return;
  case ExprType::Loop:
    enteringLoop_ = &e == loopEntry;
    translateBlock(wabt::cast<wabt::LoopExpr>(&e)->block, true);
    return;
  case ExprType::If:
    translateIf(*wabt::cast<wabt::IfExpr>(&e));
    return;
  case ExprType::Br:
    branchTo(wabt::cast<wabt::BrExpr>(&e)->var.index());
    startUnreachable();
    return;
  case ExprType::BrIf: {
    uint32_t depth = wabt::cast<wabt::BrIfExpr>(&e)->var.index();
    Value *cond = popCondition();
    const Label &label = labels_[labels_.size() - 1 - depth];
    storeBranchValues(label);
    BasicBlock *cont = BasicBlock::Create(llctx, "br_if.cont", fn);
    b.CreateCondBr(cond, label.target, cont);
    b.SetInsertPoint(cont);
    return;
  }
  case ExprType::BrTable: {
    auto *bt = wabt::cast<wabt::BrTableExpr>(&e);
    Value *index = pop();
    std::vector<uint32_t> depths;
    for (const wabt::Var &v : bt->targets)
      depths.push_back(v.index());
    uint32_t defaultDepth = bt->default_target.index();
    std::vector<bool> stored(labels_.size(), false);
    auto storeOnce = [&](uint32_t depth) {
      if (!stored[depth]) {
        stored[depth] = true;
        storeBranchValues(labels_[labels_.size() - 1 - depth]);
      }
    };
    storeOnce(defaultDepth);
    for (uint32_t d : depths)
      storeOnce(d);
    llvm::SwitchInst *sw =
        b.CreateSwitch(index, labels_[labels_.size() - 1 - defaultDepth].target, depths.size());
    for (size_t i = 0; i < depths.size(); ++i)
      sw->addCase(b.getInt32(uint32_t(i)), labels_[labels_.size() - 1 - depths[i]].target);
    startUnreachable();
    return;
  }
  case ExprType::Return:
    branchTo(uint32_t(labels_.size() - 1));
    startUnreachable();
    return;
  case ExprType::Call:
    emitCall(wmod.GetFuncIndex(wabt::cast<wabt::CallExpr>(&e)->var));
    return;
  case ExprType::CallIndirect: {
    auto *ci = wabt::cast<wabt::CallIndirectExpr>(&e);
    emitCallIndirect(wmod.GetTableIndex(ci->table), wmod.GetFuncTypeIndex(ci->decl));
    return;
  }
  case ExprType::CallRef: {
    // Typed function references (as far as wabt 1.0.32 goes): the validator filled in the type.
    auto *cr = wabt::cast<wabt::CallRefExpr>(&e);
    Value *ref = pop();
    trapIf(b.CreateIsNull(ref), TrapCode::NullReference);
    emitCallRef(ref, wmod.GetFuncTypeIndex(cr->function_type_index));
    return;
  }
  case ExprType::ReturnCall:
    emitCall(wmod.GetFuncIndex(wabt::cast<wabt::ReturnCallExpr>(&e)->var), /*tail=*/true);
    return;
  case ExprType::ReturnCallIndirect: {
    auto *ci = wabt::cast<wabt::ReturnCallIndirectExpr>(&e);
    emitCallIndirect(wmod.GetTableIndex(ci->table), wmod.GetFuncTypeIndex(ci->decl),
                     /*tail=*/true);
    return;
  }
  case ExprType::LocalGet: {
    uint32_t i = wabt::cast<wabt::LocalGetExpr>(&e)->var.index();
    push(b.CreateLoad(localTypes_[i], locals_[i]));
    return;
  }
  case ExprType::LocalSet:
    b.CreateStore(pop(), locals_[wabt::cast<wabt::LocalSetExpr>(&e)->var.index()]);
    return;
  case ExprType::LocalTee:
    b.CreateStore(top(), locals_[wabt::cast<wabt::LocalTeeExpr>(&e)->var.index()]);
    return;
  case ExprType::GlobalGet: {
    uint32_t i = wmod.GetGlobalIndex(wabt::cast<wabt::GlobalGetExpr>(&e)->var);
    llvm::Type *ty = type(info.globals[i].type.type);
    Value *cell = globalAddress(i);
    llvm::LoadInst *load = b.CreateLoad(ty, cell);
    if (!info.globals[i].type.mutable_)
      load->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(llctx, {}));
    push(load);
    return;
  }
  case ExprType::GlobalSet: {
    uint32_t i = wmod.GetGlobalIndex(wabt::cast<wabt::GlobalSetExpr>(&e)->var);
    b.CreateStore(pop(), globalAddress(i));
    return;
  }
  case ExprType::Const:
    if (wabt::cast<wabt::ConstExpr>(&e)->const_.type() == wabt::Type::V128)
      emitSimd(*this, e);
    else
      emitNumeric(*this, e);
    return;
  case ExprType::Unary:
  case ExprType::Binary:
  case ExprType::Compare:
  case ExprType::Convert:
  case ExprType::Ternary: {
    if (isSimdOpcode(exprOpcode(e)))
      emitSimd(*this, e);
    else
      emitNumeric(*this, e);
    return;
  }
  case ExprType::Load:
  case ExprType::Store: {
    if (isSimdOpcode(exprOpcode(e)))
      emitSimd(*this, e);
    else
      emitMemory(*this, e);
    return;
  }
  case ExprType::SimdLaneOp:
  case ExprType::SimdShuffleOp:
  case ExprType::SimdLoadLane:
  case ExprType::SimdStoreLane:
  case ExprType::LoadSplat:
  case ExprType::LoadZero:
    emitSimd(*this, e);
    return;
  case ExprType::MemorySize:
  case ExprType::MemoryGrow:
  case ExprType::MemoryFill:
  case ExprType::MemoryCopy:
  case ExprType::MemoryInit:
  case ExprType::DataDrop:
    emitMemory(*this, e);
    return;
  case ExprType::AtomicLoad:
  case ExprType::AtomicStore:
  case ExprType::AtomicRmw:
  case ExprType::AtomicRmwCmpxchg:
  case ExprType::AtomicWait:
  case ExprType::AtomicNotify:
  case ExprType::AtomicFence:
    emitAtomic(*this, e);
    return;
  case ExprType::TableGet:
  case ExprType::TableSet:
  case ExprType::TableSize:
  case ExprType::TableGrow:
  case ExprType::TableFill:
  case ExprType::TableCopy:
  case ExprType::TableInit:
  case ExprType::ElemDrop:
  case ExprType::RefNull:
  case ExprType::RefIsNull:
  case ExprType::RefFunc:
    emitTable(*this, e);
    return;
  case ExprType::CodeMetadata:
    return;
  case ExprType::Try:
    translateTry(*wabt::cast<wabt::TryExpr>(&e));
    return;
  case ExprType::Throw:
    emitThrow(*wabt::cast<wabt::ThrowExpr>(&e));
    return;
  case ExprType::Rethrow:
    emitRethrow(*wabt::cast<wabt::RethrowExpr>(&e));
    return;
  default:
    fail(std::string("unsupported instruction: ") + wabt::GetExprTypeName(e),
         TranslateErrorKind::Unsupported);
    return;
  }
}

} // namespace parawasm::compile

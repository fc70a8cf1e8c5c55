// Wasm (wabt IR) -> LLVM IR for one function. Control flow, locals, globals and calls live in
// translator.cpp; each operator family has its own emit_*.cpp working on FunctionTranslator.
// Device differences (address computation, traps, runtime calls) go through TargetPolicy.
#pragma once

#include "vm/module_info.h"
#include "vm/vm_context.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <wabt/cast.h>
#include <wabt/ir.h>

#include <utility>
#include <vector>

namespace parawasm::compile {

class FunctionTranslator;

// Marks the load of the linear-memory base (CPU), so passes can tell memory accesses from others.
inline constexpr char kMemoryBaseMetadata[] = "pw.memory.base";

// A memory operand of an instruction: which memory, and the width of its addresses.
struct MemoryRef {
  uint32_t index = 0;
  bool index64 = false; // memory64: i64 addresses, checked explicitly (no guard region covers them)
};

enum class RuntimeCall {
#define PW_RUNTIME(sym, ret, params) sym,
#include "vm/runtime_calls.def"
#undef PW_RUNTIME
};

// What differs between devices. Everything else is written once.
class TargetPolicy {
public:
  virtual ~TargetPolicy() = default;
  virtual unsigned memoryAddressSpace() const = 0;
  // Pointer to `accessBytes` bytes at addr + offset in memory `mem`, trapping when they are not
  // all inside it; `addr` is i32, or i64 for a 64-bit memory. The bounds strategy is per memory:
  // the CPU relies on guard pages for 32-bit memories and checks 64-bit ones explicitly; a GPU
  // checks against the mirrored span. The one bounds check of every access (plain, atomic,
  // SIMD, the ends of a bulk range).
  virtual llvm::Value *memoryAddress(FunctionTranslator &t, MemoryRef mem, llvm::Value *addr,
                                     uint64_t offset, unsigned accessBytes) = 0;
  // Current size in bytes (i64) of memory `mem`, for bulk operations and memory.size.
  virtual llvm::Value *memorySizeBytes(FunctionTranslator &t, MemoryRef mem) = 0;
  // Whether memoryAddress leaves the bounds check of an access to `mem` to the access itself (a
  // fault on a guard page): its loads must then run even when their value goes unused.
  virtual bool accessIsTheCheck(MemoryRef) const { return false; }
  // Leaves with `code` for good; terminates the current block.
  virtual void emitTrap(FunctionTranslator &t, TrapCode code) = 0;
  // False where compiled code cannot call into the host (GPU): such operators are refused.
  virtual bool allowsRuntimeCalls() const = 0;
  virtual void decorateFunction(llvm::Function &) {}
  // True where the hardware's own NaN results are not Wasm's canonical NaN (PTX returns
  // 0x7fffffff): float arithmetic results are then passed through canonicalizeNaN.
  virtual bool canonicalizesNaN() const { return false; }
  // Calling convention of every compiled Wasm function and of every call between them. The CPU
  // uses tailcc: its musttail calls may pass other parameters than the caller received, which
  // return_call needs for constant stack. Under C, return_call is an ordinary call and return
  // (the GPU scan refuses it before that matters).
  virtual llvm::CallingConv::ID callingConv() const { return llvm::CallingConv::C; }
  // Fuel metering (CompileOptions::consumeFuel): function entries and loop headers charge
  // VMContext::fuel. A compile option rather than a device difference, carried here because
  // every function translation sees the policy.
  bool consumeFuel = false;
  // Checked kernels (CompileOptions::checkKernelBuffers): every access is compared with the
  // exec's buffers (vm::VMKernelContext) and traps outside them. CPU only: the GPU always checks
  // its own span.
  bool checkKernelBuffers = false;
};

// The opcode of an operator (unary, binary, compare, convert, ternary) or of a load, store,
// load-splat or load-zero. wabt gives each expression kind its own class (instances of one
// template), so a cast must name the kind the expression really has: a cast to a sibling kind
// reads the same field but is undefined behaviour (UBSan's vptr check reports it).
wabt::Opcode exprOpcode(const wabt::Expr &e);

// What kind of failure stopped a translation; translateFunctions turns it into an ErrorKind, so
// a device tells a refusal from a broken kernel without reading the message.
enum class TranslateErrorKind {
  Invalid,       // against a rule of Wasm the validator did not catch (a bug, not a refusal)
  LimitExceeded, // an implementation limit: nesting depth, number of locals
  Unsupported,   // valid, but this target or build cannot compile it (e.g. a runtime call on a GPU)
};

// Thrown nowhere: translation failures are recorded here and checked by the caller.
struct TranslateError {
  TranslateErrorKind kind = TranslateErrorKind::Invalid;
  std::string message;
};

class FunctionTranslator {
public:
  FunctionTranslator(llvm::Module &llmod, TargetPolicy &policy, const wabt::Module &wmod,
                     const vm::ModuleInfo &info, llvm::Function *fn, uint32_t funcIndex);

  llvm::LLVMContext &llctx;
  llvm::Module &llmod;
  llvm::IRBuilder<> b;
  TargetPolicy &policy;
  const wabt::Module &wmod;
  const vm::ModuleInfo &info;
  llvm::Function *fn;
  uint32_t funcIndex;
  llvm::Value *ctx = nullptr; // VMContext*
  // Set before translate(): `fn` is the function's entry at this `loop` operator instead
  // (vm::InterpHooks::loopEntry): void(calleeCtx, callerCtx, Slot *io), the locals read from
  // io, the results written back there. The operand stack must be empty at the loop.
  const wabt::Expr *loopEntry = nullptr;

  // Operand stack.
  void push(llvm::Value *v) { stack_.push_back(v); }
  llvm::Value *pop();
  llvm::Value *top() { return stack_.back(); }

  // LLVM types of Wasm values. v128 is <4 x i32>; references are opaque pointers.
  llvm::Type *i8() { return b.getInt8Ty(); }
  llvm::Type *i16() { return b.getInt16Ty(); }
  llvm::Type *i32() { return b.getInt32Ty(); }
  llvm::Type *i64() { return b.getInt64Ty(); }
  llvm::Type *f32() { return b.getFloatTy(); }
  llvm::Type *f64() { return b.getDoubleTy(); }
  llvm::Type *v128() { return llvm::FixedVectorType::get(b.getInt32Ty(), 4); }
  llvm::PointerType *ptr() { return b.getPtrTy(); }
  llvm::Type *type(wabt::Type t);
  llvm::Type *type(ValType t);

  // Traps. trapIf branches to a cold block; code after it continues on the not-taken path.
  void trapIf(llvm::Value *cond, TrapCode code);
  void trap(TrapCode code); // unconditional; the rest of the current block is unreachable

  // Field of the VMContext at `offset` (invariant fields may be hoisted by LLVM).
  llvm::Value *loadContextField(size_t offset, llvm::Type *ty, bool invariant);
  // Base pointer of memory `index` (CPU), loaded once per function.
  llvm::Value *memoryBase(uint32_t index = 0);
  // {spanStart, spanEnd} of the running exec's buffers (i64, vm::VMKernelContext), loaded once
  // per function. Checked kernels only: VMContext::kernel is null elsewhere.
  std::pair<llvm::Value *, llvm::Value *> kernelSpan();
  // Pops an i32 condition as an i1.
  llvm::Value *popCondition();
  // The memory an instruction names, with its index type; nullopt (after fail) for one the
  // module does not have.
  std::optional<MemoryRef> memoryOperand(const wabt::Var &memidx);
  llvm::Value *memoryAddress(MemoryRef mem, llvm::Value *addr, uint64_t offset,
                             unsigned accessBytes) {
    return policy.memoryAddress(*this, mem, addr, offset, accessBytes);
  }
  llvm::Value *memorySizeBytes(MemoryRef mem) { return policy.memorySizeBytes(*this, mem); }
  // A load of a `ty` value at `p` (from memoryAddress) in memory `mem`, with alignment 1 (Wasm's
  // is only a hint), kept even when its value goes unused where the load is the bounds check
  // (load_anchors.h).
  llvm::Value *memoryLoad(MemoryRef mem, llvm::Type *ty, llvm::Value *p);
  // addr + offset as i64 (addr zero-extended from i32). For a 64-bit memory the sum may pass
  // 2^64; it then traps (out of bounds) here, since no access there can be inside the memory.
  llvm::Value *effectiveAddress(MemoryRef mem, llvm::Value *addr, uint64_t offset);
  // Traps unless [start, start + len) lies inside memory `mem` (start, len: i32 or i64). A
  // zero-length range may end exactly at the memory's end, but not start past it.
  void checkRange(MemoryRef mem, llvm::Value *start, llvm::Value *len);
  // Calls a runtime entry point (vm/runtime_calls.def). Refused (error recorded) on devices that
  // have no runtime.
  llvm::Value *callRuntime(RuntimeCall which, llvm::ArrayRef<llvm::Value *> args);
  llvm::Value *callIntrinsic(llvm::Intrinsic::ID id, llvm::ArrayRef<llvm::Type *> types,
                             llvm::ArrayRef<llvm::Value *> args);
  // Wasm's fN.min/max (id: llvm.minimum or llvm.maximum) of scalars or vectors.
  llvm::Value *minMax(llvm::Intrinsic::ID id, llvm::Value *x, llvm::Value *y);
  // With policy.canonicalizesNaN(): NaN results (scalar or vector lanes) become the canonical
  // NaN; otherwise returns `v` unchanged.
  llvm::Value *canonicalizeNaN(llvm::Value *v);
  void fail(std::string message, TranslateErrorKind kind = TranslateErrorKind::Invalid) {
    if (!error)
      error = TranslateError{kind, std::move(message)};
  }
  std::optional<TranslateError> error;

  // Translates the body; returns false on error (see `error`).
  bool translate(const wabt::Func &func);

private:
  struct Label {
    llvm::BasicBlock *target;               // where a branch goes
    std::vector<llvm::Value *> slots;       // allocas receiving the branch values
    std::vector<llvm::Type *> types;        // types of the branch values
    std::vector<llvm::Value *> resultSlots; // block results (differ from slots for loops)
    std::vector<llvm::Type *> resultTypes;
    size_t stackHeight;
    llvm::BasicBlock *end;
    // Where an exception raised inside this label's code goes (emit_exceptions.cpp): a try's
    // dispatch, or the handler around the label; null in modules without exceptions.
    llvm::BasicBlock *handler = nullptr;
    llvm::Value *caught = nullptr; // in a catch body that rethrows: the caught exception's slot
  };
  void translateList(const wabt::ExprList &exprs);
  void translateExpr(const wabt::Expr &e);
  void translateBlock(const wabt::Block &block, bool isLoop);
  void translateIf(const wabt::IfExpr &e);
  void branchTo(uint32_t depth);
  void storeBranchValues(const Label &label);
  // The end of a block-like construct: a reachable fall-through stores its results and branches
  // to `label.end`; translation then continues at `label.end` with the results on the stack.
  void fallThroughToEnd(const Label &label);
  void continueAtEnd(const Label &label);
  // Fails the translation (LimitExceeded) when blocks nest deeper than the engine takes.
  [[nodiscard]] bool refuseDeeperNesting();
  void emitCall(uint32_t funcIndex, bool tail = false);
  void emitCallIndirect(uint32_t tableIndex, uint32_t typeIndex, bool tail = false);
  void emitCallRef(llvm::Value *funcRef, uint32_t typeIndex, bool tail = false);
  // Pushes the results of `call`, or for a tail call returns its value and ends the block.
  // `mayThrow`: whether the callee may return with an exception (then it is looked for).
  void finishCall(llvm::CallInst *call, const FuncType &ft, bool tail, bool mayThrow = true);
  llvm::Value *globalAddress(uint32_t globalIndex);
  void blockSignature(const wabt::BlockDeclaration &decl, std::vector<wabt::Type> &params,
                      std::vector<wabt::Type> &results);
  void startUnreachable();
  // Fuel: subtracts `cost` from VMContext::fuel and traps with OutOfFuel below zero.
  void chargeFuel(uint64_t cost);
  void addSlots(const std::vector<wabt::Type> &types, std::vector<llvm::Value *> &slots,
                std::vector<llvm::Type *> &lltypes);
  // Exceptions (emit_exceptions.cpp). Only in modules that check for them (ModuleInfo::
  // checksExceptions); elsewhere checkException emits nothing.
  void beginExceptions();
  void translateTry(const wabt::TryExpr &e);
  void emitThrow(const wabt::ThrowExpr &e);
  void emitRethrow(const wabt::RethrowExpr &e);
  // After a call: goes to the innermost handler if the callee left an exception pending.
  void checkException();
  // False where exceptions are compiled; otherwise records an Unsupported error about `what`.
  bool refuseExceptions(const char *what);
  llvm::Value *exceptionState(); // this thread's vm::VMException, looked up once per function
  llvm::BasicBlock *currentHandler() { return labels_.back().handler; }

  std::vector<llvm::Value *> stack_;
  std::vector<llvm::Value *> locals_;
  std::vector<llvm::Type *> localTypes_;
  std::vector<Label> labels_;
  bool unreachable_ = false;
  bool enteringLoop_ = false;                  // the next translateBlock is loopEntry's
  llvm::BasicBlock *loopEntryBlock_ = nullptr; // its header, once translated
  std::vector<llvm::Value *> memoryBases_;     // per memory index, once loaded
  std::pair<llvm::Value *, llvm::Value *> kernelSpan_{nullptr, nullptr};
  llvm::BasicBlock *trapBlocks_[32] = {};
  llvm::Value *exceptionState_ = nullptr;
  bool exceptions_ = false; // this function looks for exceptions after its calls
};

// Operator families (emit_*.cpp). Each handles the expressions its name says and records an
// error through t.fail() for anything it does not know.
void emitNumeric(FunctionTranslator &t,
                 const wabt::Expr &e); // scalar const/unary/binary/compare/convert
void emitSimd(FunctionTranslator &t, const wabt::Expr &e); // every v128 operator
void emitMemory(FunctionTranslator &t,
                const wabt::Expr &e); // load/store/size/grow/fill/copy/init/drop
void emitAtomic(FunctionTranslator &t, const wabt::Expr &e); // atomic.*, wait/notify, fence
void emitTable(FunctionTranslator &t,
               const wabt::Expr &e); // table.*, elem.drop, ref.null/is_null/func
bool isSimdOpcode(wabt::Opcode op);

// Native function type of a Wasm signature: R (ptr calleeCtx, ptr callerCtx, P...).
llvm::FunctionType *nativeFunctionType(llvm::LLVMContext &c, const FuncType &type);
// Declares (or finds) compiled function `index` in `m` with the policy's calling convention.
llvm::Function *declareWasmFunction(llvm::Module &m, const vm::ModuleInfo &info, uint32_t index,
                                    llvm::CallingConv::ID cc);
llvm::Type *resultType(llvm::LLVMContext &c, const FuncType &type);
// LLVM type of one Wasm value: v128 is <4 x i32>, references are opaque pointers.
llvm::Type *valueType(llvm::LLVMContext &c, ValType t);

} // namespace parawasm::compile

// Exception handling (the legacy proposal as wabt 1.0.32 parses it: try, catch, catch_all,
// delegate, throw, rethrow). No unwinder is involved: `throw` fills this thread's
// vm::VMException and jumps to the innermost handler of its function, or returns (with an
// unspecified result) to a caller, which finds `pending` set after the call and does the same.
// So an exception only ever leaves Wasm frames by their own returns; a host entry (runtime
// callGuarded) turns one that reaches it into a trap. Each label carries the handler that
// exceptions raised inside it go to, so delegate and nested try are a lookup, not a search.
#include "compile/translator.h"

#include "vm/exception.h"
#include "wasm/expr_walk.h"

#include <llvm/IR/MDBuilder.h>

namespace parawasm::compile {

using llvm::BasicBlock;
using llvm::Value;

namespace {

// Whether `exprs` contain a rethrow (at any depth): only then does a catch keep its exception.
bool containsRethrow(const wabt::ExprList &exprs) {
  return !wasm::forEachExpr(exprs,
                            [](const wabt::Expr &e) { return !wabt::isa<wabt::RethrowExpr>(&e); });
}

} // namespace

Value *FunctionTranslator::exceptionState() {
  // The record is per thread and a function runs on one thread: one lookup at entry serves every
  // check in the function.
  if (!exceptionState_) {
    llvm::IRBuilderBase::InsertPointGuard guard(b);
    b.SetInsertPoint(&fn->getEntryBlock(), fn->getEntryBlock().getFirstInsertionPt());
    exceptionState_ = callRuntime(RuntimeCall::pw_exception_state, {});
    // The address of a thread-local record: the same for every call on this thread, so LLVM may
    // merge the lookups of functions it inlines into one another.
    if (auto *call = llvm::dyn_cast<llvm::CallInst>(exceptionState_))
      if (llvm::Function *f = call->getCalledFunction()) {
        f->setDoesNotAccessMemory();
        f->setWillReturn();
      }
  }
  return exceptionState_;
}

void FunctionTranslator::beginExceptions() {
  // A device without a runtime (GPU) gets no checks: its kernel scan refuses try, throw and
  // rethrow, and nothing else raises an exception; refuseExceptions says so if one gets here.
  if (!info.checksExceptions || !policy.allowsRuntimeCalls())
    return;
  exceptions_ = true;
  // Leaving the function with the exception: the caller looks at `pending` after the call. A
  // caller compiled without those checks (its module has no tags or try) traps instead of
  // running on (pw_exception_escape).
  BasicBlock *propagate = BasicBlock::Create(llctx, "exception.propagate", fn);
  llvm::IRBuilderBase::InsertPointGuard guard(b);
  b.SetInsertPoint(propagate);
  callRuntime(RuntimeCall::pw_exception_escape, {fn->getArg(1)});
  if (fn->getReturnType()->isVoidTy())
    b.CreateRetVoid();
  else
    b.CreateRet(llvm::Constant::getNullValue(fn->getReturnType()));
  labels_.back().handler = propagate;
}

bool FunctionTranslator::refuseExceptions(const char *what) {
  if (exceptions_)
    return false;
  fail(std::string(what) + ": exception handling is not supported on this device",
       TranslateErrorKind::Unsupported);
  return true;
}

void FunctionTranslator::checkException() {
  if (!exceptions_ || error)
    return;
  Value *pending = b.CreateAlignedLoad(i32(), exceptionState(), llvm::Align(4));
  BasicBlock *cont = BasicBlock::Create(llctx, "call.cont", fn);
  llvm::MDBuilder md(llctx);
  b.CreateCondBr(b.CreateICmpNE(pending, b.getInt32(0)), currentHandler(), cont,
                 md.createBranchWeights(1, 1u << 20));
  b.SetInsertPoint(cont);
}

void FunctionTranslator::emitThrow(const wabt::ThrowExpr &e) {
  if (refuseExceptions("throw"))
    return;
  uint32_t tag = wmod.GetTagIndex(e.var);
  const FuncType &ft = info.types[info.tags[tag]];
  std::vector<Value *> values(ft.params.size());
  for (size_t i = values.size(); i-- > 0;)
    values[i] = pop();
  Value *cells = callRuntime(RuntimeCall::pw_throw,
                             {ctx, b.getInt32(tag), b.getInt32(uint32_t(values.size()))});
  for (size_t i = 0; i < values.size(); ++i)
    b.CreateAlignedStore(values[i], b.CreateConstInBoundsGEP1_64(i8(), cells, 16 * i),
                         llvm::Align(8));
  b.CreateBr(currentHandler());
  startUnreachable();
}

void FunctionTranslator::emitRethrow(const wabt::RethrowExpr &e) {
  if (refuseExceptions("rethrow"))
    return;
  uint32_t depth = e.var.index();
  const Label &label = labels_[labels_.size() - 1 - depth];
  if (!label.caught)
    return fail("invalid rethrow label");
  callRuntime(RuntimeCall::pw_rethrow, {b.CreateLoad(ptr(), label.caught)});
  b.CreateBr(currentHandler());
  startUnreachable();
}

void FunctionTranslator::translateTry(const wabt::TryExpr &e) {
  // In a module where no exception can arise (no tags, none passing through:
  // ModuleInfo::checksExceptions), a try is its body: a block whose catch clauses never run.
  if (!exceptions_ && !info.checksExceptions && policy.allowsRuntimeCalls())
    return translateBlock(e.block, /*isLoop=*/false);
  if (refuseExceptions("try"))
    return;
  if (refuseDeeperNesting())
    return;
  std::vector<wabt::Type> params, results;
  blockSignature(e.block.decl, params, results);
  BasicBlock *outer = currentHandler();
  Label label;
  label.stackHeight = stack_.size() - params.size();
  label.end = BasicBlock::Create(llctx, "try.end", fn);
  addSlots(results, label.resultSlots, label.resultTypes);
  label.target = label.end;
  label.slots = label.resultSlots;
  label.types = label.resultTypes;
  BasicBlock *dispatch = nullptr;
  switch (e.kind) {
  case wabt::TryKind::Catch:
    dispatch = BasicBlock::Create(llctx, "try.dispatch", fn);
    label.handler = dispatch;
    break;
  case wabt::TryKind::Delegate: {
    // The label counts from outside the try (the delegate is not inside its own block): the
    // exception goes where one raised directly in that label's code would, so delegating to the
    // function's label hands it to the caller.
    uint32_t depth = e.delegate_target.index();
    if (depth >= labels_.size())
      return fail("invalid delegate label");
    label.handler = labels_[labels_.size() - 1 - depth].handler;
    break;
  }
  case wabt::TryKind::Plain:
    label.handler = outer;
    break;
  }

  labels_.push_back(label);
  translateList(e.block.exprs);
  labels_.pop_back();
  fallThroughToEnd(label);

  if (dispatch && !error) {
    b.SetInsertPoint(dispatch);
    Value *state = exceptionState();
    Value *thrown = b.CreateAlignedLoad(
        ptr(), b.CreateConstInBoundsGEP1_64(i8(), state, offsetof(vm::VMException, tag)),
        llvm::Align(8));
    // The catch body runs outside the try: what it raises goes to the handler around the try,
    // and a rethrow in it finds the exception in `caught`.
    Label catching = label;
    bool caughtAll = false;
    for (const wabt::Catch &c : e.catches) {
      BasicBlock *body = BasicBlock::Create(llctx, c.IsCatchAll() ? "catch_all" : "catch", fn);
      const FuncType *payload = nullptr;
      if (c.IsCatchAll()) {
        b.CreateBr(body);
        caughtAll = true;
      } else {
        uint32_t tag = wmod.GetTagIndex(c.var);
        payload = &info.types[info.tags[tag]];
        Value *identity = callRuntime(RuntimeCall::pw_tag, {ctx, b.getInt32(tag)});
        BasicBlock *next = BasicBlock::Create(llctx, "catch.next", fn);
        b.CreateCondBr(b.CreateICmpEQ(thrown, identity), body, next);
        b.SetInsertPoint(next);
      }
      // Not at the dispatch's insert point: `next` continues it after the clause is translated.
      BasicBlock *resume = b.GetInsertBlock();
      b.SetInsertPoint(body);
      unreachable_ = false;
      stack_.resize(label.stackHeight);
      if (payload) {
        Value *cells = b.CreateAlignedLoad(
            ptr(), b.CreateConstInBoundsGEP1_64(i8(), state, offsetof(vm::VMException, values)),
            llvm::Align(8));
        for (size_t i = 0; i < payload->params.size(); ++i)
          push(b.CreateAlignedLoad(type(payload->params[i]),
                                   b.CreateConstInBoundsGEP1_64(i8(), cells, 16 * i),
                                   llvm::Align(8)));
      }
      catching.caught = nullptr;
      catching.handler = outer;
      Value *kept = nullptr;
      if (containsRethrow(c.exprs)) {
        llvm::IRBuilder<> entry(&fn->getEntryBlock(), fn->getEntryBlock().begin());
        catching.caught = entry.CreateAlloca(ptr());
        kept = callRuntime(RuntimeCall::pw_exception_capture, {});
        b.CreateStore(kept, catching.caught);
        // An exception leaving the body (a rethrow included) no longer needs the copy.
        BasicBlock *leave = BasicBlock::Create(llctx, "catch.leave", fn);
        llvm::IRBuilderBase::InsertPointGuard guard(b);
        b.SetInsertPoint(leave);
        callRuntime(RuntimeCall::pw_exception_release, {kept});
        b.CreateBr(outer);
        catching.handler = leave;
      }
      b.CreateAlignedStore(b.getInt32(0), state, llvm::Align(4));
      labels_.push_back(catching);
      translateList(c.exprs);
      labels_.pop_back();
      if (!unreachable_ && kept)
        callRuntime(RuntimeCall::pw_exception_release, {kept});
      fallThroughToEnd(label);
      b.SetInsertPoint(resume);
      if (caughtAll || error)
        break;
    }
    // No clause matched: on to the handler around the try, the exception still pending.
    if (!caughtAll)
      b.CreateBr(outer);
  }

  continueAtEnd(label);
}

} // namespace parawasm::compile

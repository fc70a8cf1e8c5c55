#include "compile/module_translator.h"

#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

namespace parawasm::compile {

namespace {

// void entry(code, calleeCtx, callerCtx, Slot *io): how the host calls a function of this type.
llvm::Function *buildEntryThunk(llvm::Module &m, const FuncType &ft, uint32_t typeIndex,
                                llvm::CallingConv::ID cc) {
  llvm::LLVMContext &c = m.getContext();
  auto *p = llvm::PointerType::get(c, 0);
  auto *fty = llvm::FunctionType::get(llvm::Type::getVoidTy(c), {p, p, p, p}, false);
  auto *f = llvm::Function::Create(fty, llvm::Function::ExternalLinkage,
                                   "pw_entry_" + std::to_string(typeIndex), m);
  f->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(c, "entry", f));
  std::vector<llvm::Value *> args{f->getArg(1), f->getArg(2)};
  for (size_t i = 0; i < ft.params.size(); ++i) {
    llvm::Value *slot = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), f->getArg(3), 16 * i);
    args.push_back(b.CreateAlignedLoad(valueType(c, ft.params[i]), slot, llvm::Align(8)));
  }
  llvm::CallInst *r = b.CreateCall(nativeFunctionType(c, ft), f->getArg(0), args);
  r->setCallingConv(cc);
  for (size_t i = 0; i < ft.results.size(); ++i) {
    llvm::Value *v = ft.results.size() == 1 ? r : b.CreateExtractValue(r, unsigned(i));
    llvm::Value *slot = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), f->getArg(3), 16 * i);
    b.CreateAlignedStore(v, slot, llvm::Align(8));
  }
  b.CreateRetVoid();
  return f;
}

// The Slots an adapter passes its arguments in and gets its results back from: the native
// arguments of `f` from `firstArg` on, spilled into a cell each (16 bytes, room for every type).
llvm::AllocaInst *spillArguments(llvm::IRBuilder<> &b, llvm::Function *f, unsigned firstArg,
                                 const FuncType &ft) {
  size_t cells = std::max<size_t>({ft.params.size(), ft.results.size(), 1});
  llvm::AllocaInst *io = b.CreateAlloca(llvm::ArrayType::get(b.getInt8Ty(), 16 * cells));
  io->setAlignment(llvm::Align(16));
  for (size_t i = 0; i < ft.params.size(); ++i)
    b.CreateAlignedStore(f->getArg(firstArg + unsigned(i)),
                         b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), io, 16 * i), llvm::Align(8));
  return io;
}

// Returns the results in `io`'s cells as `f`'s native return value.
void returnResults(llvm::IRBuilder<> &b, llvm::Function *f, const FuncType &ft,
                   llvm::AllocaInst *io) {
  std::vector<llvm::Value *> results;
  for (size_t i = 0; i < ft.results.size(); ++i)
    results.push_back(b.CreateAlignedLoad(valueType(b.getContext(), ft.results[i]),
                                          b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), io, 16 * i),
                                          llvm::Align(8)));
  if (results.empty()) {
    b.CreateRetVoid();
  } else if (results.size() == 1) {
    b.CreateRet(results[0]);
  } else {
    llvm::Value *agg = llvm::PoisonValue::get(f->getReturnType());
    for (unsigned i = 0; i < results.size(); ++i)
      agg = b.CreateInsertValue(agg, results[i], i);
    b.CreateRet(agg);
  }
}

// R adapter(hostFunc, callerCtx, P...): how compiled code calls a host function of this type.
llvm::Function *buildHostAdapter(llvm::Module &m, const FuncType &ft, uint32_t typeIndex,
                                 llvm::CallingConv::ID cc) {
  llvm::LLVMContext &c = m.getContext();
  auto *p = llvm::PointerType::get(c, 0);
  auto *f = llvm::Function::Create(nativeFunctionType(c, ft), llvm::Function::ExternalLinkage,
                                   "pw_host_adapter_" + std::to_string(typeIndex), m);
  f->setCallingConv(cc);
  f->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(c, "entry", f));
  llvm::AllocaInst *io = spillArguments(b, f, 2, ft);
  auto *callTy = llvm::FunctionType::get(b.getInt32Ty(), {p, p, p}, false);
  llvm::FunctionCallee hostCall = m.getOrInsertFunction("pw_host_call", callTy);
  llvm::Value *status = b.CreateCall(hostCall, {f->getArg(0), f->getArg(1), io});
  auto *trapBlock = llvm::BasicBlock::Create(c, "trap", f);
  auto *okBlock = llvm::BasicBlock::Create(c, "ok", f);
  b.CreateCondBr(b.CreateICmpNE(status, b.getInt32(0)), trapBlock, okBlock);
  b.SetInsertPoint(trapBlock);
  llvm::FunctionCallee raise =
      m.getOrInsertFunction("pw_raise_pending", llvm::FunctionType::get(b.getVoidTy(), false));
  b.CreateCall(raise);
  b.CreateUnreachable();
  b.SetInsertPoint(okBlock);
  returnResults(b, f, ft, io);
  return f;
}

// R adapter(nest InterpRecord *, calleeCtx, callerCtx, P...): where a function's interpreter
// trampoline jumps (vm/interp.h). The trampoline leaves the native arguments as they are and
// loads the record into the `nest` register, which no other argument uses.
llvm::Function *buildInterpAdapter(llvm::Module &m, const FuncType &ft, uint32_t typeIndex,
                                   llvm::CallingConv::ID cc) {
  llvm::LLVMContext &c = m.getContext();
  auto *p = llvm::PointerType::get(c, 0);
  llvm::FunctionType *native = nativeFunctionType(c, ft);
  std::vector<llvm::Type *> params{p};
  params.insert(params.end(), native->param_begin(), native->param_end());
  auto *fty = llvm::FunctionType::get(native->getReturnType(), params, false);
  auto *f = llvm::Function::Create(fty, llvm::Function::ExternalLinkage,
                                   "pw_interp_adapter_" + std::to_string(typeIndex), m);
  f->setCallingConv(cc);
  f->addParamAttr(0, llvm::Attribute::Nest);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(c, "entry", f));
  llvm::AllocaInst *io = spillArguments(b, f, 3, ft);
  auto *callTy = llvm::FunctionType::get(b.getVoidTy(), {p, p, p, p}, false);
  llvm::FunctionCallee interpret = m.getOrInsertFunction("pw_interpret", callTy);
  b.CreateCall(interpret, {f->getArg(1), f->getArg(2), f->getArg(0), io});
  returnResults(b, f, ft, io);
  return f;
}

void addPointerArray(llvm::Module &m, const std::string &name,
                     const std::vector<llvm::Constant *> &items) {
  auto *p = llvm::PointerType::get(m.getContext(), 0);
  auto *ty = llvm::ArrayType::get(p, items.size());
  new llvm::GlobalVariable(m, ty, true, llvm::GlobalValue::ExternalLinkage,
                           llvm::ConstantArray::get(ty, items), name);
}

} // namespace

void addKernelDriver(llvm::Module &m, const vm::ModuleInfo &info, uint32_t kernelFunc,
                     bool checked) {
  llvm::LLVMContext &c = m.getContext();
  auto *p = llvm::PointerType::get(c, 0);
  auto *i32 = llvm::Type::getInt32Ty(c);
  const FuncType &kt = info.funcType(kernelFunc);
  llvm::Function *kernel = m.getFunction(functionSymbol(kernelFunc));
  auto *fty = llvm::FunctionType::get(llvm::Type::getVoidTy(c), {p, p, p, p}, false);
  auto *f = llvm::Function::Create(fty, llvm::Function::ExternalLinkage, kKernelDriverSymbol, m);
  f->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::Value *ctx = f->getArg(1);
  llvm::Value *io = f->getArg(3);
  auto *entry = llvm::BasicBlock::Create(c, "entry", f);
  auto *loop = llvm::BasicBlock::Create(c, "loop", f);
  auto *done = llvm::BasicBlock::Create(c, "done", f);
  llvm::IRBuilder<> b(entry);
  auto field = [&](unsigned k) {
    return b.CreateAlignedLoad(i32, b.CreateConstInBoundsGEP1_64(i32, io, k), llvm::Align(4));
  };
  llvm::Value *first = field(0), *last = field(1), *count = field(2), *blockSize = field(3);
  std::vector<llvm::Value *> rest;
  for (size_t k = 3; k < kt.params.size(); ++k)
    rest.push_back(field(unsigned(k + 1)));
  // A checked kernel records each iteration before running it, so that a trap names it.
  llvm::Value *iterationSlot = nullptr;
  if (checked) {
    llvm::Value *kernelCtx = b.CreateLoad(
        p, b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), ctx, offsetof(vm::VMContext, kernel)));
    iterationSlot = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), kernelCtx,
                                                 offsetof(vm::VMKernelContext, iteration));
  }
  b.CreateCondBr(b.CreateICmpSLT(first, last), loop, done);
  b.SetInsertPoint(loop);
  llvm::PHINode *i = b.CreatePHI(i32, 2);
  i->addIncoming(first, entry);
  if (iterationSlot)
    b.CreateAlignedStore(i, iterationSlot, llvm::Align(4));
  std::vector<llvm::Value *> args{ctx, ctx, i, count, blockSize};
  args.insert(args.end(), rest.begin(), rest.end());
  llvm::CallInst *call = b.CreateCall(kernel, args);
  call->setCallingConv(kernel->getCallingConv());
  call->addFnAttr(llvm::Attribute::AlwaysInline);
  llvm::Value *next = b.CreateAdd(i, b.getInt32(1), "", /*HasNUW=*/true, /*HasNSW=*/true);
  i->addIncoming(next, b.GetInsertBlock());
  llvm::Value *more = b.CreateICmpSLT(next, last);
  if (info.checksExceptions) {
    // An iteration that ends with an exception ends the launch: the device's host entry
    // (callGuarded) finds it pending and reports it, as for any call from the host.
    llvm::FunctionCallee state =
        m.getOrInsertFunction("pw_exception_state", llvm::FunctionType::get(p, false));
    llvm::Value *pending = b.CreateAlignedLoad(i32, b.CreateCall(state), llvm::Align(4));
    more = b.CreateAnd(more, b.CreateICmpEQ(pending, b.getInt32(0)));
  }
  b.CreateCondBr(more, loop, done);
  b.SetInsertPoint(done);
  b.CreateRetVoid();
}

std::string functionSymbol(uint32_t funcIndex) { return "pwf_" + std::to_string(funcIndex); }

std::optional<uint32_t> functionOfSymbol(std::string_view symbol) {
  llvm::StringRef name(symbol.data(), symbol.size());
  if (!name.consume_front("pwf_"))
    return std::nullopt;
  name = name.take_until([](char c) { return c == '.'; }); // a lazy body's or a loop entry's
  uint32_t index = 0;
  if (name.empty() || name.getAsInteger(10, index))
    return std::nullopt;
  return index;
}

Result<std::unique_ptr<llvm::Module>>
translateLoopEntry(llvm::LLVMContext &c, const wasm::LoadedModule &loaded, TargetPolicy &policy,
                   uint32_t funcIndex, const wabt::Expr &loop, const std::string &name) {
  const vm::ModuleInfo &info = loaded.info;
  auto m = std::make_unique<llvm::Module>("wasm-loop-entry", c);
  auto *p = llvm::PointerType::get(c, 0);
  auto *fty = llvm::FunctionType::get(llvm::Type::getVoidTy(c), {p, p, p}, false);
  auto *f = llvm::Function::Create(fty, llvm::Function::ExternalLinkage, name, *m);
  FunctionTranslator t(*m, policy, *loaded.ir, info, f, funcIndex);
  t.loopEntry = &loop;
  if (!t.translate(*loaded.ir->funcs[funcIndex]))
    return Error(ErrorKind::Unsupported, "cannot compile a loop entry of function " +
                                             info.funcDisplayName(funcIndex) + ": " +
                                             t.error->message);
  std::string problems;
  llvm::raw_string_ostream os(problems);
  if (llvm::verifyModule(*m, &os))
    return Error(ErrorKind::Internal, "compiler produced invalid LLVM IR: " + os.str());
  return m;
}

Result<std::unique_ptr<llvm::Module>>
translateModule(llvm::LLVMContext &c, const wasm::LoadedModule &loaded, TargetPolicy &policy,
                std::span<const uint32_t> funcIndices, bool withTables,
                std::optional<uint32_t> kernelFunc, const std::atomic<bool> *cancel,
                bool interpretedShell) {
  const vm::ModuleInfo &info = loaded.info;
  auto m = std::make_unique<llvm::Module>("wasm", c);
  // Define every function first: a call translated earlier must find its callee by name.
  std::vector<llvm::Function *> defined;
  for (uint32_t index : funcIndices)
    defined.push_back(declareWasmFunction(*m, info, index, policy.callingConv()));
  for (size_t k = 0; k < funcIndices.size(); ++k) {
    if (cancel && cancel->load(std::memory_order_relaxed))
      return Error(ErrorKind::Internal, "compile cancelled");
    uint32_t index = funcIndices[k];
    llvm::Function *f = defined[k];
    FunctionTranslator t(*m, policy, *loaded.ir, info, f, index);
    if (!t.translate(*loaded.ir->funcs[index])) {
      // A limit is a refusal of this implementation, like an unsupported operator: the module
      // is valid and another engine may run it.
      ErrorKind kind = t.error->kind == TranslateErrorKind::Invalid ? ErrorKind::Invalid
                                                                    : ErrorKind::Unsupported;
      return Error(kind, "cannot compile function " + info.funcDisplayName(index) + ": " +
                             t.error->message);
    }
  }
  if (withTables) {
    std::vector<llvm::Constant *> funcs, entries, adapters, interpAdapters;
    if (!interpretedShell)
      for (uint32_t i = info.numImportedFuncs; i < info.funcTypes.size(); ++i)
        funcs.push_back(declareWasmFunction(*m, info, i, policy.callingConv()));
    for (uint32_t t = 0; t < info.types.size(); ++t) {
      entries.push_back(buildEntryThunk(*m, info.types[t], t, policy.callingConv()));
      adapters.push_back(buildHostAdapter(*m, info.types[t], t, policy.callingConv()));
      if (interpretedShell)
        interpAdapters.push_back(buildInterpAdapter(*m, info.types[t], t, policy.callingConv()));
    }
    addPointerArray(*m, "pw_entry_thunks", entries);
    addPointerArray(*m, "pw_host_adapters", adapters);
    if (interpretedShell)
      addPointerArray(*m, "pw_interp_adapters", interpAdapters);
    else
      addPointerArray(*m, "pw_functions", funcs);
  }
  if (kernelFunc)
    addKernelDriver(*m, info, *kernelFunc, policy.checkKernelBuffers);
  std::string problems;
  llvm::raw_string_ostream os(problems);
  if (llvm::verifyModule(*m, &os))
    return Error(ErrorKind::Internal, "compiler produced invalid LLVM IR: " + os.str());
  return m;
}

} // namespace parawasm::compile

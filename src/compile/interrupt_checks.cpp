#include "compile/interrupt_checks.h"

#include "vm/trap_codes.h"
#include "vm/vm_context.h"

#include <llvm/ADT/DepthFirstIterator.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/MDBuilder.h>

#include <cstddef>

namespace parawasm::compile {

namespace {

constexpr char kCtxArgAttr[] = "pw-interrupt-ctx";

} // namespace

void markInterruptible(llvm::Function &f, unsigned ctxArg) {
  f.addFnAttr(kCtxArgAttr, std::to_string(ctxArg));
}

void addInterruptChecks(llvm::Module &m) {
  llvm::LLVMContext &c = m.getContext();
  auto *i32 = llvm::Type::getInt32Ty(c);
  auto *ptr = llvm::PointerType::get(c, 0);
  llvm::FunctionCallee trap = m.getOrInsertFunction(
      "pw_trap", llvm::FunctionType::get(llvm::Type::getVoidTy(c), {i32}, false));
  if (auto *f = llvm::dyn_cast<llvm::Function>(trap.getCallee())) {
    f->addFnAttr(llvm::Attribute::NoReturn);
    f->addFnAttr(llvm::Attribute::NoUnwind);
    f->addFnAttr(llvm::Attribute::Cold);
  }
  llvm::MDBuilder md(c);
  llvm::MDNode *unlikely = md.createBranchWeights(1, 1u << 20);
  for (llvm::Function &f : m) {
    if (f.isDeclaration() || !f.hasFnAttribute(kCtxArgAttr))
      continue;
    unsigned ctxArg = 0;
    if (f.getFnAttribute(kCtxArgAttr).getValueAsString().getAsInteger(10, ctxArg) ||
        ctxArg >= f.arg_size())
      continue;
    // The headers are collected before any block is split: splitting keeps a header's phis (and
    // so its identity as the target of the back-edges) in the first half.
    llvm::DominatorTree dt(f);
    llvm::LoopInfo loops(dt);
    std::vector<llvm::BasicBlock *> headers;
    for (llvm::Loop *top : loops)
      for (llvm::Loop *l : llvm::depth_first(top))
        headers.push_back(l->getHeader());

    // After the entry block's allocas, which must stay there to remain static.
    llvm::BasicBlock &entry = f.getEntryBlock();
    auto at = entry.getFirstInsertionPt();
    while (llvm::isa<llvm::AllocaInst>(*at))
      ++at;
    llvm::IRBuilder<> b(&entry, at);
    // The flag's address never changes for an instance: loaded once, at the entry.
    llvm::LoadInst *flag =
        b.CreateLoad(ptr, b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), f.getArg(ctxArg),
                                                       offsetof(vm::VMContext, interrupt)));
    flag->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(c, {}));
    auto *trapBlock = llvm::BasicBlock::Create(c, "interrupted", &f);
    b.SetInsertPoint(trapBlock);
    b.CreateCall(trap, {b.getInt32(uint32_t(TrapCode::Interrupted))});
    b.CreateUnreachable();

    auto check = [&](llvm::Instruction *before) {
      llvm::BasicBlock *bb = before->getParent();
      llvm::BasicBlock *rest = bb->splitBasicBlock(before);
      bb->getTerminator()->eraseFromParent();
      b.SetInsertPoint(bb);
      // Volatile: nothing may hoist it out of the loop or merge it with the previous poll,
      // which is the point. A plain mov on x86; another thread's store shows up soon enough.
      llvm::LoadInst *value = b.CreateLoad(i32, flag, /*isVolatile=*/true);
      value->setAlignment(llvm::Align(4));
      b.CreateCondBr(b.CreateICmpNE(value, b.getInt32(0)), trapBlock, rest, unlikely);
    };
    check(&*std::next(flag->getIterator()));
    for (llvm::BasicBlock *header : headers)
      check(&*header->getFirstInsertionPt());
  }
}

} // namespace parawasm::compile

#include "compile/ir_marker.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Module.h>

namespace parawasm::compile {

llvm::CallInst *callMarker(llvm::IRBuilderBase &b, llvm::StringRef name, llvm::Type *result,
                           llvm::ArrayRef<llvm::Value *> args) {
  llvm::SmallVector<llvm::Type *, 4> params;
  for (llvm::Value *a : args)
    params.push_back(a->getType());
  llvm::Module &m = *b.GetInsertBlock()->getModule();
  llvm::FunctionCallee callee =
      m.getOrInsertFunction(name, llvm::FunctionType::get(result, params, false));
  auto *f = llvm::cast<llvm::Function>(callee.getCallee());
  f->setDoesNotAccessMemory();
  f->setDoesNotThrow();
  f->setWillReturn();
  f->setNoSync();
  f->addFnAttr(llvm::Attribute::Speculatable);
  return b.CreateCall(callee, args);
}

llvm::CallInst *asMarkerCall(llvm::Value *v, llvm::StringRef prefix) {
  auto *call = llvm::dyn_cast<llvm::CallInst>(v);
  llvm::Function *callee = call ? call->getCalledFunction() : nullptr;
  return callee && callee->isDeclaration() && callee->getName().starts_with(prefix) ? call
                                                                                    : nullptr;
}

} // namespace parawasm::compile

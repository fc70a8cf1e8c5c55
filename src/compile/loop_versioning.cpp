#include "compile/loop_versioning.h"

#include <llvm/Analysis/LoopInfo.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/Instructions.h>
#include <llvm/Transforms/Utils/Cloning.h>

namespace parawasm::compile {

llvm::Loop *copyLoop(llvm::Loop &loop, llvm::BasicBlock *preheader, llvm::BasicBlock *check,
                     const char *suffix, llvm::LoopInfo &li, llvm::DominatorTree &dt,
                     llvm::ValueToValueMapTy &vmap) {
  llvm::SmallVector<llvm::BasicBlock *, 8> cloned;
  llvm::Loop *copy =
      llvm::cloneLoopWithPreheader(preheader, check, &loop, vmap, suffix, &li, &dt, cloned);
  llvm::remapInstructionsInBlocks(cloned, vmap);
  llvm::SmallVector<llvm::BasicBlock *, 4> exits;
  loop.getUniqueExitBlocks(exits);
  for (llvm::BasicBlock *exit : exits)
    for (llvm::PHINode &phi : exit->phis()) {
      unsigned incoming = phi.getNumIncomingValues();
      for (unsigned i = 0; i < incoming; ++i) {
        llvm::BasicBlock *from = phi.getIncomingBlock(i);
        if (!loop.contains(from))
          continue;
        llvm::Value *v = phi.getIncomingValue(i);
        llvm::Value *mapped = vmap.lookup(v);
        phi.addIncoming(mapped ? mapped : v, llvm::cast<llvm::BasicBlock>(vmap[from]));
      }
    }
  return copy;
}

} // namespace parawasm::compile

// The loop copy both loop-versioning passes make (address_widening.h on the CPU,
// gpu_check_versioning.h on a GPU): a second copy of a loop, in front of which a check block
// chooses the one to run.
#pragma once

#include <llvm/Transforms/Utils/ValueMapper.h>

namespace llvm {
class BasicBlock;
class DominatorTree;
class Loop;
class LoopInfo;
} // namespace llvm

namespace parawasm::compile {

// Copies `loop` (in LCSSA form, with dedicated exits, its preheader `preheader`) with a preheader
// of its own placed before `preheader` and dominated by `check`, and returns the copy. Both copies
// leave into the same exit blocks, whose phis take the copy's values too; `vmap` maps each
// original value to its copy. The caller ends `check` with the branch that chooses.
llvm::Loop *copyLoop(llvm::Loop &loop, llvm::BasicBlock *preheader, llvm::BasicBlock *check,
                     const char *suffix, llvm::LoopInfo &li, llvm::DominatorTree &dt,
                     llvm::ValueToValueMapTy &vmap);

} // namespace parawasm::compile

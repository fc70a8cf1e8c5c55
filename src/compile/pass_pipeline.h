// The optimisation pipeline shared by every target: O2, or the fast tier for scripts.
#pragma once

#include "parawasm/parawasm.h"

#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

#include <atomic>

namespace parawasm::compile {

// With `cancel`, every optional pass is skipped once it is set: a background tier-up whose module
// died stops within one pass on one function instead of finishing the whole pipeline.
void optimizeModule(llvm::Module &m, llvm::TargetMachine &tm, OptLevel level,
                    const std::atomic<bool> *cancel = nullptr);

} // namespace parawasm::compile

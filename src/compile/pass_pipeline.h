// The optimisation pipeline shared by every target: O2, or the fast tier for scripts.
#pragma once

#include "parawasm/parawasm.h"

#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

namespace parawasm::compile {

void optimizeModule(llvm::Module &m, llvm::TargetMachine &tm, OptLevel level);

} // namespace parawasm::compile

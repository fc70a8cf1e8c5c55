// Interruption: the polls of VMContext::interrupt that let another thread stop running guest
// code (InterruptHandle, `-W timeout`).
#pragma once

#include <llvm/IR/Function.h>
#include <llvm/IR/Module.h>

namespace parawasm::compile {

// Marks `f` as guest code whose argument `ctxArg` is its VMContext: addInterruptChecks polls in it.
void markInterruptible(llvm::Function &f, unsigned ctxArg);

// Adds to every marked function a check at its entry and in the header of each of its loops:
// a volatile load of *ctx->interrupt and, when nonzero, a cold call of pw_trap(Interrupted).
// Runs after the optimisation pipeline, so the checks neither stop LLVM from vectorising or
// unrolling a loop (a vectorised loop polls once per vector iteration) nor survive in functions
// that were inlined (their caller's checks cover them).
void addInterruptChecks(llvm::Module &m);

} // namespace parawasm::compile

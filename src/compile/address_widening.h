// Loop versioning that lets LLVM see Wasm's 32-bit address arithmetic as 64-bit arithmetic.
//
// A Wasm address is an i32 sum that wraps at 4 GiB, so every access is `base + zext(x + c)`.
// Unrolled compiler output (clang interleaves inner loops) addresses neighbours as `x` and
// `x + 8`; because `x + 8` might wrap, SCEV cannot prove the two accesses adjacent and the
// vectoriser falls back to gathers and scatters, or to the scalar loop. This pass versions each
// innermost loop on a run-time test that none of its address sums leaves [0, 4 GiB) in any
// iteration; inside the guarded copy the sums are computed in i64, where they are affine and
// adjacent accesses are visibly adjacent. The guard also checks that every rewritten access is
// in bounds (so the vectorised copy never traps halfway through a wide store) and that streams
// written to do not overlap the others (which then carry scoped no-alias metadata, the `restrict`
// that Wasm loses). The other copy is the untouched original, kept scalar, and runs whenever an
// address would wrap or an access would trap, so the spec's behaviour is kept exactly.
#pragma once

#include <llvm/IR/PassManager.h>

namespace parawasm::compile {

//
// With `alignLoops` (CPU targets, whose vectors are wider than Wasm data's 16-byte alignment),
// loops the vectoriser can take also get a scalar prologue that runs until their main store
// (or load) is 64-byte aligned, so the vector code does not straddle cache lines.
class AddressWideningPass : public llvm::PassInfoMixin<AddressWideningPass> {
public:
  explicit AddressWideningPass(bool alignLoops) : alignLoops_(alignLoops) {}
  llvm::PreservedAnalyses run(llvm::Function &f, llvm::FunctionAnalysisManager &fam);

private:
  bool alignLoops_;
};

} // namespace parawasm::compile

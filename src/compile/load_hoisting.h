// Loads that a loop repeats only because its writes might change them, made once per loop.
//
// Wasm keeps no types on memory. In a kernel `a[(first(d) + k) * n + ...] = ...` whose n and d
// come from a params buffer, the i32 loads of n and d and the f64 store to `a` all address linear
// memory, and C's rule that they cannot alias is gone. So LLVM reloads n and d, and recomputes
// everything derived from them, in every iteration of the kernel driver's loop (about 30
// instructions per point of p2p).
//
// This pass versions such a loop. The copy that runs first makes those loads once, before the
// loop. Each of its writes that may alias them compares the bytes it writes with theirs, and an
// iteration in which one matched (or which called a function that may write anything) hands over
// at its end to the original loop, which carries on from the next iteration and reloads as the
// program says. Only loads that every iteration makes before anything can write memory or leave
// the iteration are taken, so a hoisted value is the one the first iteration loads and, while no
// write has touched its bytes, the one each later iteration would load. A load after plain stores
// is taken too when every checked store's whole range is proven apart before the loop, and when
// it could trap before those stores, after the loop's first iteration (docs/ARCHITECTURE.md).
#pragma once

#include <llvm/IR/PassManager.h>

namespace parawasm::compile {

class LoadHoistingPass : public llvm::PassInfoMixin<LoadHoistingPass> {
public:
  llvm::PreservedAnalyses run(llvm::Function &f, llvm::FunctionAnalysisManager &fam);
};

} // namespace parawasm::compile

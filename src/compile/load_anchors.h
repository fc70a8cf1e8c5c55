// Out-of-bounds loads from a guard-page memory trap by executing: the fault is the bounds check,
// so an optimisation that drops a load, or narrows it, drops the trap.
//
// Dropped loads, and loads moved after a later effect. LLVM deletes a load whose value goes
// unused (a dropped load, a local overwritten before it is read, `0 >> load`, `load & 0`), and
// the trap with it, although Wasm requires it; and it moves a load past a later store, call or
// trap (sinking it to its use, hoisting an invariant division check out of a loop), which
// changes which trap an iteration raises and what memory holds after it. So each such load is
// anchored as it is translated: an `llvm.assume(true) ["noundef"(value)]` uses its value (true:
// Wasm values are never undef or poison), and being an effect itself, stays in order with the
// other effects, while costing nothing to the inliner, the loop passes, the vectoriser (which
// anchors each lane it makes) or the load hoisting; an `llvm.sideeffect` after it keeps loop
// deletion from removing a loop whose only effects would be assumptions (which LLVM may drop). When
// every IR pass has run (or, at the fast tier, after the only passes it runs) the anchors are
// released: each anchored load that nothing else keeps alive, or that its own block does not use
// (machine code sinking would move it past a branch), becomes volatile, which the code generator
// never deletes or moves; the others are left alone.
#pragma once

#include <llvm/IR/PassManager.h>

namespace llvm {
class IRBuilderBase;
class LoadInst;
} // namespace llvm

namespace parawasm::compile {

// Anchors `load` (inserting after it, at b's insertion point).
void anchorLoad(llvm::IRBuilderBase &b, llvm::LoadInst *load);

// Removes a function's anchors; an anchored load then unused, or used only by instructions whose
// results are unused, becomes volatile; with `everyLoad`, every anchored load does (for code
// generation without optimisation, whose instruction selection still folds `0 >> load` to 0).
// Returns whether it changed anything.
bool releaseLoadAnchors(llvm::Function &f, bool everyLoad);

struct ReleaseLoadAnchorsPass : llvm::PassInfoMixin<ReleaseLoadAnchorsPass> {
  explicit ReleaseLoadAnchorsPass(bool everyLoad) : everyLoad(everyLoad) {}
  llvm::PreservedAnalyses run(llvm::Function &f, llvm::FunctionAnalysisManager &);
  bool everyLoad;
};

// Narrowed and masked loads. The code generator narrows a load whose value is only partly used
// (`load i64` then `& 63` becomes a one-byte load), and a vector load of which only some lanes are
// used: an access that straddles the end of memory then no longer reaches the guard page, and
// returns instead of trapping. A narrowed load that keeps the load's last byte (the most
// significant, or the last lane) still reaches as far; after optimisation, every load whose last
// byte goes unused becomes volatile, which is never narrowed (its users compute the same from the
// whole value). And with AVX-512 it folds a load into a masked move or masked arithmetic where a
// select picks its value (or one computed from it in its block), which suppresses the fault of
// an element the mask leaves out: such a load's users get it through a `freeze` (the identity
// on a loaded value), which nothing folds a load through, and the load is volatile (a select of
// vectors becomes a branch, into one way of which the load would otherwise be sunk).
struct KeepLoadsWholePass : llvm::PassInfoMixin<KeepLoadsWholePass> {
  llvm::PreservedAnalyses run(llvm::Function &f, llvm::FunctionAnalysisManager &);
};

} // namespace parawasm::compile

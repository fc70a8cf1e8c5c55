// Out-of-bounds loads from a guard-page memory trap by executing: the fault is the bounds check,
// so an optimisation that drops a load, or narrows it, drops the trap.
//
// Dropped loads.
// LLVM deletes a load whose value goes unused (a dropped load, a local overwritten before it is
// read, `0 >> load`, `load & 0`), and the trap with it, although Wasm requires it. So each such
// load is anchored as it is translated: an `llvm.assume(true) ["noundef"(value)]` uses its value
// (true: Wasm values are never undef or poison) and costs nothing to the inliner, the loop passes
// or the load hoisting, while keeping the load alive. Before the vectoriser (whose cost model
// would count the anchors) or, at the fast tier, after the only passes it runs, the anchors are
// released: each anchored load that nothing else keeps alive becomes volatile, which LLVM and the
// code generator never delete, as does a vector load of which only some lanes are used (below);
// the others are left alone.
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

// Narrowed loads. The code generator narrows a load whose value is only partly used (`load i64`
// then `& 63` becomes a one-byte load), and a vector load of which only some lanes are used: an
// access that straddles the end of memory then no longer reaches the guard page, and returns
// instead of trapping. A narrowed load that keeps the load's last byte (the most significant, or
// the last lane) still reaches as far; after optimisation, every load whose last byte goes unused
// becomes volatile, which is never narrowed (its users compute the same from the whole value).
struct KeepLoadWidthsPass : llvm::PassInfoMixin<KeepLoadWidthsPass> {
  llvm::PreservedAnalyses run(llvm::Function &f, llvm::FunctionAnalysisManager &);
};

} // namespace parawasm::compile

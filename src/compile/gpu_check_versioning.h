// Loop versioning that takes a GPU kernel's access checks out of its loops.
//
// A GPU has no guard pages, so every access of a kernel tests, on its fast path, that it is
// inside the mirrored span and aligned: rotr(rel, log2 width) < limit, with rel the i32 offset
// in the span (ptx_policy.cpp). In a loop whose accesses step through memory (a dot product's
// row and column) that test costs more than the access. This pass versions each innermost loop
// whose marked tests have an affine rel: a check block in front of the loop computes, from the
// first and last values of each rel over the loop's most iterations, whether every test would
// pass in every iteration; if so a copy of the loop runs with the tests taken as passed, else
// the original loop runs. Exact by construction: the copy runs only when each of its tests was
// going to pass, so no trap and no access changes.
#pragma once

#include <llvm/IR/PassManager.h>

namespace llvm {
class IRBuilderBase;
class Module;
class Value;
} // namespace llvm

namespace parawasm::compile {

// An access's fast-path test, rotr(rel, shift) u< limit (rel and limit i32), emitted as a call
// this pass recognises whatever optimisation did around it; expandAccessTests turns the calls
// left into the test itself.
llvm::Value *emitAccessTest(llvm::IRBuilderBase &b, llvm::Value *rel, llvm::Value *limit,
                            unsigned shift);

// Expands every access test of `m`. Run once, after optimisation and before code generation.
void expandAccessTests(llvm::Module &m);

class GpuCheckVersioningPass : public llvm::PassInfoMixin<GpuCheckVersioningPass> {
public:
  llvm::PreservedAnalyses run(llvm::Function &f, llvm::FunctionAnalysisManager &fam);
};

} // namespace parawasm::compile

#include "compile/pass_pipeline.h"
#include "compile/address_widening.h"
#include "compile/gpu_check_versioning.h"
#include "compile/load_anchors.h"
#include "compile/load_hoisting.h"

#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Transforms/Scalar/LICM.h>
#include <llvm/Transforms/Scalar/LoopPassManager.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>
#include <llvm/Transforms/Utils/LCSSA.h>
#include <llvm/Transforms/Utils/LoopSimplify.h>
#include <llvm/Transforms/Utils/Mem2Reg.h>

#include <cstdlib>

namespace parawasm::compile {

void optimizeModule(llvm::Module &m, llvm::TargetMachine &tm, OptLevel level,
                    const std::atomic<bool> *cancel) {
  llvm::PassInstrumentationCallbacks instrumentation;
  if (cancel)
    instrumentation.registerShouldRunOptionalPassCallback(
        [cancel](llvm::StringRef, llvm::Any) { return !cancel->load(std::memory_order_relaxed); });
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(&tm, llvm::PipelineTuningOptions(), std::nullopt, &instrumentation);
  // PARAWASM_VERIFY_IR=1 (the tests set it): the IR our own passes rewrote is verified before
  // O2 goes on, so a broken rewrite stops the process loudly instead of being miscompiled.
  static const bool verify = [] {
    const char *v = std::getenv("PARAWASM_VERIFY_IR");
    return v && v[0] == '1';
  }();
  if (level == OptLevel::Full && !tm.getTargetTriple().isNVPTX())
    // After the inliner has put a kernel into its driver's loop and LICM has hoisted what it
    // could prove invariant: the loads left in loops are those a store might change
    // (load_hoisting.h). LICM again then hoists what is computed from them.
    pb.registerScalarOptimizerLateEPCallback(
        [](llvm::FunctionPassManager &late, llvm::OptimizationLevel) {
          late.addPass(LoadHoistingPass());
          if (verify)
            late.addPass(llvm::VerifierPass());
          late.addPass(llvm::createFunctionToLoopPassAdaptor(llvm::LICMPass(llvm::LICMOptions()),
                                                             /*UseMemorySSA=*/true));
        });
  if (level == OptLevel::Full && tm.getTargetTriple().isNVPTX())
    // After inlining, when the loops have their final shape (gpu_check_versioning.h); the
    // clean-up passes after this point remove the copy's dead slow paths.
    pb.registerScalarOptimizerLateEPCallback(
        [](llvm::FunctionPassManager &late, llvm::OptimizationLevel) {
          late.addPass(GpuCheckVersioningPass());
          if (verify)
            late.addPass(llvm::VerifierPass());
        });
  if (!tm.getTargetTriple().isNVPTX()) // the GPU tests every access explicitly
    // Once every IR pass has run: a load moved after a later store, call or trap would lose its
    // place in the trap order, so the anchors stay to the end (load_anchors.h).
    pb.registerOptimizerLastEPCallback([](llvm::ModulePassManager &last, llvm::OptimizationLevel) {
      llvm::FunctionPassManager release;
      release.addPass(ReleaseLoadAnchorsPass(/*everyLoad=*/false));
      release.addPass(KeepLoadsWholePass());
      last.addPass(llvm::createModuleToFunctionPassAdaptor(std::move(release)));
    });
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  // Promote locals to registers and stop there (the fast tier), or go on to O2.
  llvm::FunctionPassManager fpm;
  fpm.addPass(llvm::PromotePass());
  fpm.addPass(llvm::SimplifyCFGPass());
  if (level != OptLevel::Full)
    fpm.addPass(ReleaseLoadAnchorsPass(/*everyLoad=*/true));
  if (level == OptLevel::Full) {
    // Wasm's 32-bit address sums hide adjacent accesses from the vectoriser. They are widened
    // (in a guarded copy of each loop) while they are still plain zext(i32 sum): later passes
    // turn them into masks that no analysis sees through (address_widening.h).
    fpm.addPass(llvm::LoopSimplifyPass());
    fpm.addPass(llvm::LCSSAPass());
    fpm.addPass(AddressWideningPass(/*alignLoops=*/tm.getTargetTriple().isX86()));
    if (verify)
      fpm.addPass(llvm::VerifierPass());
  }
  llvm::ModulePassManager mpm;
  mpm.addPass(llvm::createModuleToFunctionPassAdaptor(std::move(fpm)));
  mpm.run(m, mam);
  if (level == OptLevel::Full) {
    llvm::ModulePassManager o2 = pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2);
    o2.run(m, mam);
  }
}

} // namespace parawasm::compile

#include "compile/ptx.h"

#include "compile/compiler.h"
#include "compile/gpu_kernel.h"
#include "compile/module_translator.h"
#include "compile/pass_pipeline.h"
#include "compile/ptx_policy.h"
#include "support/try.h"

#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/IntrinsicsNVPTX.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Target/TargetOptions.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>
#include <llvm/Transforms/Utils/Mem2Reg.h>

#include <algorithm>
#include <cstring>

namespace parawasm::compile {

namespace {

constexpr const char *kTriple = "nvptx64-nvidia-cuda";

// The SMs LLVM 19's NVPTX back end knows from sm_50 on, with the PTX ISA version each first
// appeared in (NVPTX.td).
struct SmInfo {
  int sm;
  int ptx;
};
constexpr SmInfo kSms[] = {{50, 40}, {52, 41}, {53, 42}, {60, 50}, {61, 50}, {62, 50}, {70, 60},
                           {72, 61}, {75, 63}, {80, 70}, {86, 71}, {87, 74}, {89, 78}, {90, 78}};

void initializeNvptx() {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeNVPTXTargetInfo();
    LLVMInitializeNVPTXTarget();
    LLVMInitializeNVPTXTargetMC();
    LLVMInitializeNVPTXAsmPrinter();
  });
}

Result<std::unique_ptr<llvm::TargetMachine>> ptxTargetMachine(int deviceSm, OptLevel level) {
  initializeNvptx();
  int sm = ptxTargetSm(deviceSm);
  if (sm == 0)
    return Error(ErrorKind::Unsupported, "compute capability " + std::to_string(deviceSm / 10) +
                                             "." + std::to_string(deviceSm % 10) +
                                             " is older than any GPU parawasm supports (5.0)");
  std::string problem;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(kTriple, problem);
  if (!target)
    return Error(ErrorKind::Internal, "LLVM has no NVPTX back end: " + problem);
  llvm::TargetOptions options;
  // Wasm rounds every multiply and add on its own: no fma contraction, no unsafe math.
  options.AllowFPOpFusion = llvm::FPOpFusion::Strict;
  options.UnsafeFPMath = false;
  options.NoInfsFPMath = false;
  options.NoNaNsFPMath = false;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      kTriple, "sm_" + std::to_string(sm), "+ptx" + std::to_string(ptxIsaVersion(sm)), options,
      std::nullopt, std::nullopt,
      level == OptLevel::Full ? llvm::CodeGenOptLevel::Default : llvm::CodeGenOptLevel::None));
  if (!tm)
    return Error(ErrorKind::Internal, "LLVM cannot make an NVPTX target machine");
  return tm;
}

Result<std::string> emitAssembly(llvm::Module &m, llvm::TargetMachine &tm) {
  llvm::SmallString<0> text;
  llvm::raw_svector_ostream os(text);
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, os, nullptr, llvm::CodeGenFileType::AssemblyFile))
    return Error(ErrorKind::Internal, "the NVPTX target cannot emit PTX");
  pm.run(m);
  return std::string(text.str());
}

std::string printModule(const llvm::Module &m) {
  std::string text;
  llvm::raw_string_ostream os(text);
  m.print(os, nullptr);
  return os.str();
}

// Wasm atomics are sequentially consistent. LLVM 19's NVPTX back end selects only relaxed
// atomic loads and stores, emits read-modify-writes without ordering and cannot select `fence`,
// so each access becomes the PTX memory model's mapping of a seq_cst one: fence.sc before it and
// an acquire fence after a load or read-modify-write (Lustig et al., "A Formal Analysis of the
// NVIDIA PTX Memory Consistency Model", ASPLOS 2019). Only GPU threads share the mirror during a
// launch, so the fences are GPU-scoped. Before sm_70 there is only membar.gl, which is at least
// as strong.
void insertFence(llvm::Instruction *before, bool sequentiallyConsistent, int sm) {
  llvm::LLVMContext &c = before->getContext();
  const char *text =
      sm < 70 ? "membar.gl;" : (sequentiallyConsistent ? "fence.sc.gpu;" : "fence.acq_rel.gpu;");
  auto *fty = llvm::FunctionType::get(llvm::Type::getVoidTy(c), false);
  // The memory clobber keeps LLVM from moving other accesses across the fence.
  llvm::CallInst::Create(fty, llvm::InlineAsm::get(fty, text, "~{memory}", true), "",
                         before->getIterator());
}

void lowerSeqCstAtomics(llvm::Function &f, int sm) {
  constexpr auto kRelaxed = llvm::AtomicOrdering::Monotonic;
  std::vector<llvm::Instruction *> work;
  for (llvm::BasicBlock &bb : f)
    for (llvm::Instruction &i : bb)
      if (i.isAtomic())
        work.push_back(&i);
  for (llvm::Instruction *i : work) {
    bool acquireAfter = true;
    if (auto *fence = llvm::dyn_cast<llvm::FenceInst>(i)) {
      insertFence(fence, true, sm);
      fence->eraseFromParent();
      continue;
    }
    if (auto *load = llvm::dyn_cast<llvm::LoadInst>(i)) {
      if (load->getOrdering() == kRelaxed)
        continue;
      load->setOrdering(kRelaxed);
    } else if (auto *store = llvm::dyn_cast<llvm::StoreInst>(i)) {
      if (store->getOrdering() == kRelaxed)
        continue;
      store->setOrdering(kRelaxed);
      acquireAfter = false;
    } else if (auto *rmw = llvm::dyn_cast<llvm::AtomicRMWInst>(i)) {
      if (rmw->getOrdering() == kRelaxed)
        continue;
      rmw->setOrdering(kRelaxed);
    } else if (auto *cas = llvm::dyn_cast<llvm::AtomicCmpXchgInst>(i)) {
      if (cas->getSuccessOrdering() == kRelaxed)
        continue;
      cas->setSuccessOrdering(kRelaxed);
      cas->setFailureOrdering(kRelaxed);
    } else {
      continue;
    }
    insertFence(i, true, sm);
    if (acquireAfter)
      insertFence(i->getNextNode(), false, sm);
  }
}

// The NVPTX back end's answers to the shared GPU lowering (gpu_kernel.h).
class NvptxTarget final : public GpuTarget {
public:
  explicit NvptxTarget(int sm) : sm_(sm) {}
  const char *triple() const override { return kTriple; }
  unsigned globalAddressSpace() const override { return kPtxGlobalAddressSpace; }
  void markEntry(llvm::Function &entry) const override {
    entry.setCallingConv(llvm::CallingConv::PTX_Kernel);
    // Older NVPTX back ends find kernels only through this annotation.
    llvm::Module &m = *entry.getParent();
    llvm::LLVMContext &c = m.getContext();
    m.getOrInsertNamedMetadata("nvvm.annotations")
        ->addOperand(llvm::MDNode::get(
            c,
            {llvm::ValueAsMetadata::get(&entry), llvm::MDString::get(c, "kernel"),
             llvm::ConstantAsMetadata::get(llvm::ConstantInt::get(llvm::Type::getInt32Ty(c), 1))}));
  }
  llvm::Value *gridIndex(llvm::IRBuilderBase &b, GpuIndex which) const override {
    using namespace llvm::Intrinsic;
    ID id = which == GpuIndex::ThreadInBlock ? nvvm_read_ptx_sreg_tid_x
            : which == GpuIndex::BlockSize   ? nvvm_read_ptx_sreg_ntid_x
            : which == GpuIndex::BlockInGrid ? nvvm_read_ptx_sreg_ctaid_x
                                             : nvvm_read_ptx_sreg_nctaid_x;
    llvm::Function *f = llvm::Intrinsic::getDeclaration(b.GetInsertBlock()->getModule(), id);
    return b.CreateZExt(b.CreateCall(f), b.getInt64Ty());
  }
  void lowerFunction(llvm::Function &f) const override { lowerSeqCstAtomics(f, sm_); }

private:
  int sm_; // the PTX target's SM
};

struct GpuModule {
  std::unique_ptr<llvm::LLVMContext> context;
  std::unique_ptr<llvm::TargetMachine> tm;
  std::unique_ptr<llvm::Module> module;
};

Result<GpuModule> buildKernelModule(const wasm::LoadedModule &loaded, uint32_t kernelFunc,
                                    int smVersion, OptLevel level) {
  GpuModule g;
  PW_TRY_ASSIGN(g.tm, ptxTargetMachine(smVersion, level));
  g.context = std::make_unique<llvm::LLVMContext>();
  PtxPolicy policy;
  NvptxTarget target(ptxTargetSm(smVersion));
  PW_TRY_ASSIGN(g.module, buildGpuKernelModule(*g.context, loaded, kernelFunc, target, policy,
                                               g.tm->createDataLayout()));
  optimizeModule(*g.module, *g.tm, level);
  finishGpuModule(*g.module);
  return g;
}

} // namespace

int ptxTargetSm(int deviceSm) {
  int best = 0;
  for (const SmInfo &s : kSms)
    if (s.sm <= deviceSm)
      best = s.sm;
  return best;
}

int ptxIsaVersion(int targetSm) {
  for (const SmInfo &s : kSms)
    if (s.sm == targetSm)
      return s.ptx;
  return kSms[std::size(kSms) - 1].ptx;
}

Result<std::string> emitPTX(const wasm::LoadedModule &loaded, uint32_t kernelFunc, int smVersion) {
  PW_TRY_ASSIGN(GpuModule g, buildKernelModule(loaded, kernelFunc, smVersion, OptLevel::Full));
  return emitAssembly(*g.module, *g.tm);
}

Result<std::string> emitPTXLLVM(const wasm::LoadedModule &loaded, uint32_t kernelFunc,
                                int smVersion, OptLevel level) {
  PW_TRY_ASSIGN(GpuModule g, buildKernelModule(loaded, kernelFunc, smVersion, level));
  return printModule(*g.module);
}

Result<std::string> emitPTXFunctions(const wasm::LoadedModule &loaded, int smVersion,
                                     OptLevel level, bool llvmIR,
                                     std::vector<std::string> *skipped) {
  PW_TRY_ASSIGN(auto tm, ptxTargetMachine(smVersion, level));
  llvm::LLVMContext context;
  PtxPolicy policy;
  NvptxTarget target(ptxTargetSm(smVersion));
  PW_TRY_ASSIGN(auto m, buildGpuFunctionsModule(context, loaded, target, policy,
                                                tm->createDataLayout(), skipped));
  optimizeModule(*m, *tm, level);
  finishGpuModule(*m);
  if (llvmIR)
    return printModule(*m);
  return emitAssembly(*m, *tm);
}

Result<std::shared_ptr<const std::string>> PtxCache::get(const wasm::LoadedModule &loaded,
                                                         uint32_t kernelFunc, int smVersion) {
  std::string key = loaded.hash + "|kernel" + std::to_string(kernelFunc) + "|sm_" +
                    std::to_string(ptxTargetSm(smVersion));
  {
    std::lock_guard lock(mutex_);
    if (auto *ptx = entries_.find(key))
      return *ptx;
  }
  // Compiled outside the lock: two threads may compile the same kernel once each, which is
  // cheaper than serialising every compile.
  auto text = emitPTX(loaded, kernelFunc, smVersion);
  if (!text)
    return text.takeError();
  auto ptx = std::make_shared<const std::string>(std::move(*text));
  std::lock_guard lock(mutex_);
  ++compiled_;
  if (auto *other = entries_.find(key)) // the other thread's copy, as the first to arrive
    return *other;
  return entries_.insert(std::move(key), std::move(ptx));
}

} // namespace parawasm::compile

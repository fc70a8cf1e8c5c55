#include "compile/gpu_kernel.h"
#include "support/try.h"

#include "compile/canonical_nan.h"
#include "compile/gpu_check_versioning.h"
#include "compile/module_translator.h"
#include "compile/ptx_policy.h"
#include "vm/gpu_launch.h"

#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>

#include <wabt/cast.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <set>

namespace parawasm::compile {

namespace {

constexpr const char *kAlignedEdgeKind = "pw.gpu.aligned_edge";

// The alignment markAlignedEdge promised for the edge from `from` (0 if none).
uint64_t alignedEdgeBytes(const llvm::BasicBlock &from) {
  const llvm::Instruction *term = from.getTerminator();
  llvm::MDNode *node = term ? term->getMetadata(kAlignedEdgeKind) : nullptr;
  if (!node)
    return 0;
  return llvm::mdconst::extract<llvm::ConstantInt>(node->getOperand(0))->getZExtValue();
}

// The incoming blocks of `pointer` along which the target policy promised an address aligned to
// `size` (markAlignedEdge), when `pointer` is a phi in the access's own block.
std::vector<llvm::BasicBlock *> alignedEdges(llvm::Value *pointer, llvm::Instruction &access,
                                             uint64_t size) {
  std::vector<llvm::BasicBlock *> edges;
  // Only a phi directly before the access: the aligned edges will skip the rest of its block.
  auto *phi = llvm::dyn_cast<llvm::PHINode>(pointer);
  if (phi && phi->getParent() == access.getParent() &&
      access.getParent()->getFirstNonPHIOrDbg() == &access)
    for (llvm::BasicBlock *from : phi->blocks())
      if (alignedEdgeBytes(*from) >= size)
        edges.push_back(from);
  return edges;
}

// Wasm allows any address for any access width, but a misaligned access faults on a GPU, and the
// fault ends the whole context. The translator emits plain accesses with alignment 1, which
// NVPTX would split into bytes; instead each one tests its address and takes the natural-width
// access when it is aligned (nearly always), the byte-wise one otherwise. The host keeps the
// mirror's start aligned like the guest address it holds (see vm::GpuLaunchParams), so
// guest-aligned accesses stay aligned on the device. Where the policy's bounds test already
// proved alignment (markAlignedEdge), that edge skips the test.
void versionMisalignedAccesses(llvm::Function &f, unsigned globalSpace) {
  const llvm::DataLayout &dl = f.getParent()->getDataLayout();
  std::vector<llvm::Instruction *> work;
  for (llvm::BasicBlock &bb : f)
    for (llvm::Instruction &i : bb) {
      auto *load = llvm::dyn_cast<llvm::LoadInst>(&i);
      auto *store = llvm::dyn_cast<llvm::StoreInst>(&i);
      if ((load && !load->isAtomic() && load->getPointerAddressSpace() == globalSpace) ||
          (store && !store->isAtomic() && store->getPointerAddressSpace() == globalSpace))
        work.push_back(&i);
    }
  llvm::MDBuilder md(f.getContext());
  for (llvm::Instruction *access : work) {
    auto *load = llvm::dyn_cast<llvm::LoadInst>(access);
    auto *store = llvm::dyn_cast<llvm::StoreInst>(access);
    llvm::Type *ty = load ? load->getType() : store->getValueOperand()->getType();
    uint64_t size = dl.getTypeStoreSize(ty);
    llvm::Align current = load ? load->getAlign() : store->getAlign();
    if (size <= 1 || !llvm::isPowerOf2_64(size) || current.value() >= size)
      continue;
    llvm::Value *pointer = load ? load->getPointerOperand() : store->getPointerOperand();
    std::vector<llvm::BasicBlock *> fastEdges = alignedEdges(pointer, *access, size);
    llvm::BasicBlock *head = access->getParent();
    llvm::IRBuilder<> b(access);
    llvm::Value *low = b.CreateAnd(b.CreatePtrToInt(pointer, b.getInt64Ty()), size - 1);
    llvm::Value *misaligned = b.CreateICmpNE(low, b.getInt64(0));
    llvm::Instruction *thenTerm, *elseTerm;
    llvm::SplitBlockAndInsertIfThenElse(misaligned, access, &thenTerm, &elseTerm,
                                        md.createBranchWeights(1, 1u << 10));
    llvm::BasicBlock *tail = thenTerm->getSuccessor(0);
    llvm::Instruction *slow = access->clone();
    slow->insertBefore(thenTerm);
    // Volatile keeps SimplifyCFG from merging the two paths back into one access, which would
    // take the smaller alignment.
    if (auto *l = llvm::dyn_cast<llvm::LoadInst>(slow))
      l->setVolatile(true);
    else
      llvm::cast<llvm::StoreInst>(slow)->setVolatile(true);
    access->moveBefore(elseTerm);
    if (load)
      load->setAlignment(llvm::Align(size));
    else
      store->setAlignment(llvm::Align(size));
    if (load) {
      llvm::PHINode *phi = llvm::PHINode::Create(ty, 2, "", tail->begin());
      load->replaceAllUsesWith(phi);
      phi->addIncoming(slow, thenTerm->getParent());
      phi->addIncoming(load, elseTerm->getParent());
    }
    // The aligned edges go straight to the aligned access; only the others reach the test.
    if (!fastEdges.empty()) {
      auto *merged = llvm::cast<llvm::PHINode>(pointer);
      llvm::BasicBlock *aligned = elseTerm->getParent();
      llvm::PHINode *direct =
          llvm::PHINode::Create(pointer->getType(), 1 + fastEdges.size(), "", aligned->begin());
      direct->addIncoming(merged, head);
      for (llvm::BasicBlock *from : fastEdges) {
        direct->addIncoming(merged->getIncomingValueForBlock(from), from);
        from->getTerminator()->replaceSuccessorWith(head, aligned);
        merged->removeIncomingValue(from, /*DeletePHIIfEmpty=*/false);
      }
      access->replaceUsesOfWith(merged, direct);
    }
  }
  // The marks have served; nothing later reads them.
  for (llvm::BasicBlock &bb : f)
    if (llvm::Instruction *term = bb.getTerminator())
      term->setMetadata(kAlignedEdgeKind, nullptr);
}

// ---- What a GPU can run -------------------------------------------------------------------

// The function set a kernel reaches, or the first reason it cannot run on a GPU.
struct KernelScan {
  std::vector<uint32_t> funcs; // reachable defined functions, the root first
  std::set<uint32_t> globals;  // globals read or written by them
  std::optional<std::string> refusal;
};

const char *refusedOperator(const wabt::Expr &e) {
  using wabt::ExprType;
  switch (e.type()) {
  case ExprType::CallIndirect:
    return "call_indirect";
  case ExprType::CallRef:
    return "call_ref";
  case ExprType::ReturnCall:
    return "return_call";
  case ExprType::ReturnCallIndirect:
    return "return_call_indirect";
  case ExprType::MemoryGrow:
    return "memory.grow";
  case ExprType::MemoryInit:
    return "memory.init";
  case ExprType::DataDrop:
    return "data.drop";
  case ExprType::AtomicWait:
    return "memory.atomic.wait";
  case ExprType::AtomicNotify:
    return "memory.atomic.notify";
  case ExprType::TableGet:
    return "table.get";
  case ExprType::TableSet:
    return "table.set";
  case ExprType::TableSize:
    return "table.size";
  case ExprType::TableGrow:
    return "table.grow";
  case ExprType::TableFill:
    return "table.fill";
  case ExprType::TableCopy:
    return "table.copy";
  case ExprType::TableInit:
    return "table.init";
  case ExprType::ElemDrop:
    return "elem.drop";
  case ExprType::RefFunc:
    return "ref.func";
  case ExprType::Try:
    return "try";
  case ExprType::Throw:
    return "throw";
  case ExprType::Rethrow:
    return "rethrow";
  default:
    return nullptr;
  }
}

class Scanner {
public:
  Scanner(const wasm::LoadedModule &loaded) : loaded_(loaded), info_(loaded.info) {}

  KernelScan scan(uint32_t root) {
    KernelScan result;
    // A kernel's memory is one mirrored span of one 32-bit memory (PtxPolicy): a module with
    // several memories or a 64-bit one is refused as a whole, whatever the kernel touches.
    if (info_.memories.size() > 1)
      refuse(result, std::nullopt,
             "multi-memory (" + std::to_string(info_.memories.size()) + " memories)");
    else if (!info_.memories.empty() && info_.memories[0].index64)
      refuse(result, std::nullopt, "a 64-bit memory (memory64)");
    if (result.refusal)
      return result;
    std::vector<uint8_t> state(info_.funcTypes.size(), 0); // 0 new, 1 on the path, 2 done
    visit(root, state, result);
    return result;
  }

private:
  void refuse(KernelScan &r, std::optional<uint32_t> func, const std::string &what) {
    if (r.refusal)
      return;
    r.refusal = "uses " + what + (func ? " (in " + info_.funcDisplayName(*func) + ")" : "") +
                ", which a GPU cannot run";
  }

  void visit(uint32_t func, std::vector<uint8_t> &state, KernelScan &r) {
    if (r.refusal)
      return;
    if (func < info_.numImportedFuncs)
      return; // reported by the caller's walk
    state[func] = 1;
    r.funcs.push_back(func);
    std::vector<uint32_t> callees;
    walk(loaded_.ir->funcs[func]->exprs, func, callees, r);
    for (uint32_t callee : callees) {
      if (r.refusal)
        return;
      if (state[callee] == 1) {
        // A GPU thread's call stack is small and its overflow kills the whole context.
        refuse(r, std::nullopt,
               "recursion (" + info_.funcDisplayName(func) + " calls " +
                   info_.funcDisplayName(callee) + ")");
        return;
      }
      if (state[callee] == 0)
        visit(callee, state, r);
    }
    state[func] = 2;
  }

  void walk(const wabt::ExprList &exprs, uint32_t func, std::vector<uint32_t> &callees,
            KernelScan &r) {
    using wabt::ExprType;
    const wabt::Module &m = *loaded_.ir;
    for (const wabt::Expr &e : exprs) {
      if (r.refusal)
        return;
      if (const char *op = refusedOperator(e))
        return refuse(r, func, op);
      switch (e.type()) {
      case ExprType::Block:
        walk(wabt::cast<wabt::BlockExpr>(&e)->block.exprs, func, callees, r);
        break;
      case ExprType::Loop:
        walk(wabt::cast<wabt::LoopExpr>(&e)->block.exprs, func, callees, r);
        break;
      case ExprType::If: {
        auto *i = wabt::cast<wabt::IfExpr>(&e);
        walk(i->true_.exprs, func, callees, r);
        walk(i->false_, func, callees, r);
        break;
      }
      case ExprType::Call: {
        uint32_t callee = m.GetFuncIndex(wabt::cast<wabt::CallExpr>(&e)->var);
        if (callee < info_.numImportedFuncs)
          return refuse(r, func,
                        "a call to the imported function " + info_.funcDisplayName(callee));
        if (std::find(callees.begin(), callees.end(), callee) == callees.end())
          callees.push_back(callee);
        break;
      }
      case ExprType::GlobalGet:
      case ExprType::GlobalSet: {
        const wabt::Var &var = e.type() == ExprType::GlobalGet
                                   ? wabt::cast<wabt::GlobalGetExpr>(&e)->var
                                   : wabt::cast<wabt::GlobalSetExpr>(&e)->var;
        uint32_t g = m.GetGlobalIndex(var);
        if (g < info_.numImportedGlobals)
          return refuse(r, func, "the imported global " + std::to_string(g));
        if (!initialValue(g))
          return refuse(r, func,
                        "global " + std::to_string(g) +
                            ", whose initial value is a function reference");
        r.globals.insert(g);
        break;
      }
      default:
        break;
      }
    }
  }

public:
  // A defined global's initial value, when it is a constant a GPU thread can hold.
  std::optional<Val> initialValue(uint32_t g, int depth = 0) const {
    if (g < info_.numImportedGlobals || g >= info_.globals.size() || depth > 64)
      return std::nullopt;
    // A function reference has no value on a GPU, and extended expressions are refused (a kernel
    // cannot hold such a global as a constant).
    vm::ConstResolver resolve;
    resolve.global = [&](uint32_t i) { return initialValue(i, depth + 1); };
    resolve.extended = false;
    return vm::evalConst(info_.globals[g].init, resolve);
  }

private:
  const wasm::LoadedModule &loaded_;
  const vm::ModuleInfo &info_;
};

// ---- The kernel entry ---------------------------------------------------------------------

llvm::Constant *constantOf(llvm::LLVMContext &c, const Val &v) {
  switch (v.type) {
  case ValType::I32:
    return llvm::ConstantInt::get(llvm::Type::getInt32Ty(c), uint32_t(v.of.i32));
  case ValType::I64:
    return llvm::ConstantInt::get(llvm::Type::getInt64Ty(c), uint64_t(v.of.i64));
  // Floats from their bits: through a double, a signalling NaN would come out quiet.
  case ValType::F32:
    return llvm::ConstantFP::get(c,
                                 llvm::APFloat(llvm::APFloat::IEEEsingle(),
                                               llvm::APInt(32, std::bit_cast<uint32_t>(v.of.f32))));
  case ValType::F64:
    return llvm::ConstantFP::get(c,
                                 llvm::APFloat(llvm::APFloat::IEEEdouble(),
                                               llvm::APInt(64, std::bit_cast<uint64_t>(v.of.f64))));
  case ValType::V128: {
    uint32_t lanes[4];
    std::memcpy(lanes, v.of.v128.bytes, 16);
    return llvm::ConstantDataVector::get(c, llvm::ArrayRef<uint32_t>(lanes, 4));
  }
  default:
    return llvm::ConstantPointerNull::get(llvm::PointerType::get(c, 0));
  }
}

// pw_gpu_kernel(GpuLaunchParams fields..., args...): see gpu_kernel.h.
void addKernelEntry(llvm::Module &m, const wasm::LoadedModule &loaded, const Scanner &scanner,
                    const KernelScan &scan, uint32_t kernelFunc, const GpuTarget &target) {
  llvm::LLVMContext &c = m.getContext();
  const FuncType &kt = loaded.info.funcType(kernelFunc);
  auto *i32 = llvm::Type::getInt32Ty(c);
  auto *i64 = llvm::Type::getInt64Ty(c);
  auto *global = llvm::PointerType::get(c, target.globalAddressSpace());
  std::vector<llvm::Type *> params;
  for (const vm::GpuLaunchParam &p : vm::kGpuLaunchParams)
    params.push_back(p.devicePointer ? static_cast<llvm::Type *>(global)
                     : p.bytes == 8  ? i64
                                     : i32);
  for (size_t k = 3; k < kt.params.size(); ++k)
    params.push_back(i32);
  auto *fty = llvm::FunctionType::get(llvm::Type::getVoidTy(c), params, false);
  auto *f = llvm::Function::Create(fty, llvm::Function::ExternalLinkage, vm::kGpuEntrySymbol, m);
  f->addFnAttr(llvm::Attribute::NoUnwind);
  setStrictFloatAttributes(*f);
  for (unsigned k = 0; k < vm::kGpuLaunchParamCount; ++k)
    f->getArg(k)->setName(vm::kGpuLaunchParams[k].name);
  target.markEntry(*f);

  auto *entry = llvm::BasicBlock::Create(c, "entry", f);
  auto *head = llvm::BasicBlock::Create(c, "next", f);
  auto *check = llvm::BasicBlock::Create(c, "check_trap", f);
  auto *body = llvm::BasicBlock::Create(c, "iteration", f);
  auto *done = llvm::BasicBlock::Create(c, "done", f);
  llvm::IRBuilder<> b(entry);

  // The thread's context: a VMContext whose `globals` are private to the thread, then the
  // memory view.
  llvm::AllocaInst *ctx =
      b.CreateAlloca(llvm::ArrayType::get(b.getInt8Ty(), sizeof(GpuThreadContext)));
  ctx->setAlignment(llvm::Align(16));
  b.CreateMemSet(ctx, b.getInt8(0), sizeof(vm::VMContext), llvm::MaybeAlign(16));
  auto store = [&](size_t offset, llvm::Value *v) {
    b.CreateAlignedStore(v, b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), ctx, offset),
                         llvm::Align(8));
  };
  store(offsetof(GpuThreadContext, memory), f->getArg(vm::kGpuParamMemory));
  store(offsetof(GpuThreadContext, spanStart), f->getArg(vm::kGpuParamSpanStart));
  store(offsetof(GpuThreadContext, spanEnd), f->getArg(vm::kGpuParamSpanEnd));
  store(offsetof(GpuThreadContext, memorySize), f->getArg(vm::kGpuParamMemorySize));
  store(offsetof(GpuThreadContext, trapRecord), f->getArg(vm::kGpuParamTrapRecord));
  size_t numGlobals = loaded.info.globals.size();
  if (numGlobals) {
    llvm::AllocaInst *cells = b.CreateAlloca(llvm::ArrayType::get(b.getInt8Ty(), 16 * numGlobals));
    cells->setAlignment(llvm::Align(16));
    llvm::AllocaInst *table = b.CreateAlloca(llvm::ArrayType::get(b.getPtrTy(), numGlobals));
    for (uint32_t g : scan.globals) {
      llvm::Value *cell = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), cells, 16 * g);
      b.CreateAlignedStore(constantOf(c, *scanner.initialValue(g)), cell, llvm::Align(16));
      b.CreateAlignedStore(cell, b.CreateConstInBoundsGEP1_64(b.getPtrTy(), table, g),
                           llvm::Align(8));
    }
    store(offsetof(vm::VMContext, globals), table);
  }

  // Iteration ids in i64: first + k * stride never wraps, whatever grid the host picks.
  llvm::Value *tid = target.gridIndex(b, GpuIndex::ThreadInBlock);
  llvm::Value *ntid = target.gridIndex(b, GpuIndex::BlockSize);
  llvm::Value *ctaid = target.gridIndex(b, GpuIndex::BlockInGrid);
  llvm::Value *nctaid = target.gridIndex(b, GpuIndex::GridSize);
  llvm::Value *base = b.CreateZExt(f->getArg(vm::kGpuParamFirstIteration), i64);
  llvm::Value *thread = b.CreateAdd(b.CreateMul(ctaid, ntid, "", true, true), tid, "", true, true);
  llvm::Value *first = b.CreateAdd(base, thread, "", true, true);
  llvm::Value *stride = b.CreateMul(nctaid, ntid, "", true, true);
  llvm::Value *count = b.CreateZExt(f->getArg(vm::kGpuParamLastIteration), i64);
  b.CreateBr(head);

  b.SetInsertPoint(head);
  llvm::PHINode *i = b.CreatePHI(i64, 2, "iteration_id");
  i->addIncoming(first, entry);
  b.CreateCondBr(b.CreateICmpULT(i, count), check, done);

  // Once any thread has trapped the exec has failed: skip the iterations not yet started.
  b.SetInsertPoint(check);
  llvm::LoadInst *flag =
      b.CreateAlignedLoad(i32, f->getArg(vm::kGpuParamTrapRecord), llvm::Align(4), "trapped");
  flag->setAtomic(llvm::AtomicOrdering::Monotonic);
  b.CreateCondBr(b.CreateICmpEQ(flag, b.getInt32(0)), body, done);

  b.SetInsertPoint(body);
  store(offsetof(GpuThreadContext, iteration), i);
  std::vector<llvm::Value *> args{ctx, ctx, b.CreateTrunc(i, i32),
                                  f->getArg(vm::kGpuParamNumIterations),
                                  f->getArg(vm::kGpuParamBlockSize)};
  for (unsigned k = vm::kGpuLaunchParamCount; k < f->arg_size(); ++k)
    args.push_back(f->getArg(k));
  llvm::CallInst *call = b.CreateCall(m.getFunction(functionSymbol(kernelFunc)), args);
  call->addFnAttr(llvm::Attribute::AlwaysInline);
  llvm::Value *next = b.CreateAdd(i, stride, "", true, true);
  i->addIncoming(next, body);
  b.CreateBr(head);

  b.SetInsertPoint(done);
  b.CreateRetVoid();
}

Result<void> checkKernelType(const wasm::LoadedModule &loaded, uint32_t kernelFunc) {
  const vm::ModuleInfo &info = loaded.info;
  if (kernelFunc < info.numImportedFuncs || kernelFunc >= info.funcTypes.size())
    return Error(ErrorKind::Invalid, "kernel function " + std::to_string(kernelFunc) +
                                         " is not a function defined by the module");
  const FuncType &t = info.funcType(kernelFunc);
  bool allI32 =
      std::all_of(t.params.begin(), t.params.end(), [](ValType v) { return v == ValType::I32; });
  if (!allI32 || t.params.size() < 3 || !t.results.empty())
    return Error(ErrorKind::Invalid, "the kernel function " + info.funcDisplayName(kernelFunc) +
                                         " has type " + t.toString() +
                                         "; a kernel takes three or more i32 and returns nothing");
  return {};
}

// The functions and globals `root` reaches, or why a GPU cannot run it (`what`: "kernel",
// "worker").
Result<KernelScan> scanForGpu(const wasm::LoadedModule &loaded, uint32_t root, const char *what) {
  PW_TRY(checkKernelType(loaded, root));
  KernelScan scan = Scanner(loaded).scan(root);
  if (scan.refusal)
    return Error(ErrorKind::Unsupported, std::string(what) + " " + *scan.refusal);
  return scan;
}

} // namespace

void markAlignedEdge(llvm::BranchInst &branch, unsigned bytes) {
  llvm::LLVMContext &c = branch.getContext();
  branch.setMetadata(kAlignedEdgeKind,
                     llvm::MDNode::get(c, llvm::ConstantAsMetadata::get(llvm::ConstantInt::get(
                                              llvm::Type::getInt64Ty(c), bytes))));
}

Result<void> checkGpuKernel(const wasm::LoadedModule &loaded, uint32_t kernelFunc) {
  auto scan = scanForGpu(loaded, kernelFunc, "kernel");
  if (!scan)
    return scan.takeError();
  return {};
}

Result<void> checkGpuWorker(const wasm::LoadedModule &loaded, uint32_t workerFunc) {
  auto scan = scanForGpu(loaded, workerFunc, "worker");
  if (!scan)
    return scan.takeError();
  for (uint32_t g : scan->globals)
    if (loaded.info.globals[g].type.mutable_)
      return Error(ErrorKind::Unsupported,
                   "worker uses the mutable global " + std::to_string(g) +
                       ", whose value at the call a GPU thread cannot see (a C worker that uses "
                       "its stack does); run it on the cpu device");
  return {};
}

// What every GPU module gets after translation: the alignment versioning and the target's own
// lowering of each function.
static void lowerFunctions(llvm::Module &m, const GpuTarget &target) {
  for (llvm::Function &f : m) {
    if (f.isDeclaration())
      continue;
    versionMisalignedAccesses(f, target.globalAddressSpace());
    target.lowerFunction(f);
  }
}

Result<std::unique_ptr<llvm::Module>>
buildGpuKernelModule(llvm::LLVMContext &context, const wasm::LoadedModule &loaded,
                     uint32_t kernelFunc, const GpuTarget &target, TargetPolicy &policy,
                     const llvm::DataLayout &layout) {
  PW_TRY(checkKernelType(loaded, kernelFunc));
  Scanner scanner(loaded);
  KernelScan scan = scanner.scan(kernelFunc);
  if (scan.refusal)
    return Error(ErrorKind::Unsupported, "kernel " + *scan.refusal);
  auto m = translateModule(context, loaded, policy, scan.funcs, false);
  if (!m)
    return m.takeError();
  // Only the entry is visible: every Wasm function may be inlined into it and then dropped.
  for (llvm::Function &f : **m)
    if (!f.isDeclaration())
      f.setLinkage(llvm::GlobalValue::InternalLinkage);
  (*m)->setDataLayout(layout);
  (*m)->setTargetTriple(target.triple());
  lowerFunctions(**m, target);
  addKernelEntry(**m, loaded, scanner, scan, kernelFunc, target);
  std::string problems;
  llvm::raw_string_ostream os(problems);
  if (llvm::verifyModule(**m, &os))
    return Error(ErrorKind::Internal, "GPU compiler produced invalid LLVM IR: " + os.str());
  return std::move(*m);
}

namespace {

// LLVM 19's instruction selection turns `select (fcmp olt x, C), x, C` into a minnum (and the
// like into maxnum) when C is a constant (SelectionDAGBuilder::visitSelect, through
// matchSelectPattern), which a GPU runs as PTX min/max: for x = -0.0 and C = +0.0 that gives
// -0.0 where the select gives +0.0. Wasm's pmin/pmax, and its `select` on a comparison of the
// two values, are such selects. Selecting the values' bits as integers keeps each one a select
// (nothing after this folds the bitcasts back); other selects are left alone.
void keepFloatSelectsSelects(llvm::Module &m) {
  for (llvm::Function &f : m)
    for (llvm::BasicBlock &block : f)
      for (llvm::Instruction &inst : llvm::make_early_inc_range(block)) {
        auto *select = llvm::dyn_cast<llvm::SelectInst>(&inst);
        auto *compare = select ? llvm::dyn_cast<llvm::FCmpInst>(select->getCondition()) : nullptr;
        if (!compare)
          continue;
        llvm::Value *yes = select->getTrueValue(), *no = select->getFalseValue();
        llvm::Value *lhs = compare->getOperand(0), *rhs = compare->getOperand(1);
        if (!((lhs == yes && rhs == no) || (lhs == no && rhs == yes)))
          continue;
        llvm::Type *type = select->getType();
        llvm::Type *bits =
            type->isVectorTy()
                ? static_cast<llvm::Type *>(
                      llvm::VectorType::getInteger(llvm::cast<llvm::VectorType>(type)))
                : llvm::IntegerType::get(m.getContext(), type->getPrimitiveSizeInBits());
        llvm::IRBuilder<> b(select);
        llvm::Value *picked = b.CreateSelect(compare, b.CreateBitCast(yes, bits),
                                             b.CreateBitCast(no, bits), select->getName());
        select->replaceAllUsesWith(b.CreateBitCast(picked, type));
        select->eraseFromParent();
      }
}

} // namespace

void finishGpuModule(llvm::Module &m) {
  placeCanonicalNaNs(m);
  keepFloatSelectsSelects(m);
  expandAccessTests(m);
}

Result<std::unique_ptr<llvm::Module>>
buildGpuFunctionsModule(llvm::LLVMContext &context, const wasm::LoadedModule &loaded,
                        const GpuTarget &target, TargetPolicy &policy,
                        const llvm::DataLayout &layout, std::vector<std::string> *skipped) {
  const vm::ModuleInfo &info = loaded.info;
  Scanner scanner(loaded);
  std::vector<uint32_t> funcs;
  for (uint32_t f = info.numImportedFuncs; f < info.funcTypes.size(); ++f) {
    KernelScan scan = scanner.scan(f);
    if (!scan.refusal)
      funcs.push_back(f);
    else if (skipped)
      skipped->push_back(info.funcDisplayName(f) + " " + *scan.refusal);
  }
  auto m = translateModule(context, loaded, policy, funcs, false);
  if (!m)
    return m.takeError();
  (*m)->setDataLayout(layout);
  (*m)->setTargetTriple(target.triple());
  lowerFunctions(**m, target);
  return std::move(*m);
}

} // namespace parawasm::compile

#include "compile/load_hoisting.h"

#include <llvm/Analysis/AliasAnalysis.h>
#include <llvm/Analysis/AssumptionCache.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/MemoryLocation.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/Analysis/ScalarEvolutionExpressions.h>
#include <llvm/Analysis/ValueTracking.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <llvm/Transforms/Utils/LoopPeel.h>
#include <llvm/Transforms/Utils/LoopSimplify.h>
#include <llvm/Transforms/Utils/LoopUtils.h>
#include <llvm/Transforms/Utils/PromoteMemToReg.h>
#include <llvm/Transforms/Utils/ScalarEvolutionExpander.h>

namespace parawasm::compile {
namespace {

using namespace llvm;

// Marks both copies of a versioned loop, so that neither is versioned again when the pass runs
// on the function once more (the inliner's walk may simplify a function more than once).
constexpr const char *kVersionedMarker = "parawasm.loads.hoisted";
// Versioning doubles a loop's code: big loops are left alone, and so are loops past the first
// few of a function.
constexpr unsigned kMaxLoopInstructions = 2000;
constexpr unsigned kMaxVersionedLoops = 8;

// Hoisted loads of one underlying object (linear memory, the VMContext, ...): their bytes form
// one span at run time, [low, high), which a write compares with its own.
struct Group {
  const Value *object;
  SmallVector<LoadInst *, 4> loads;
};

struct Plan {
  SmallVector<Instruction *, 16> hoisted; // the header's leading instructions to move, in order
  SmallVector<Group, 2> groups;           // hoisted loads that a write in the loop may change
  // Writes that compare their bytes with a group's span (one entry per group that may alias).
  SmallVector<std::pair<Instruction *, unsigned>, 8> checked;
  // Checked stores whose address is an affine function of the iteration once the loads are
  // hoisted: their whole range is checked once, before the loop (checkBeforeLoop), instead.
  SmallPtrSet<Instruction *, 8> ranged;
  SmallVector<CallBase *, 4> dirtying; // calls that may write anything: their iteration hands over
  // Some hoisted load comes after a store in the iteration (clang sinks a kernel's params load
  // below its first store): a hand-over at the iteration's end would come too late for it, so
  // every checked write must be a store whose whole range is checked before the loop.
  bool afterStore = false;
  // And such a load must not trap before that store does its work: unless a load from before
  // the stores proves it in bounds, the loop's first iteration is peeled off (it runs as written,
  // and the loop proper, whose preheader makes the load, starts at the second).
  bool peel = false;
};

// Whether `load` cannot trap once one of `leading` (loads of the same linear memory that ran
// before it) did: it ends no higher in memory than one of them, and linear memory is one range
// from 0. A load with no such partner after a store needs the first iteration peeled off.
bool inBoundsAfter(LoadInst *load, ArrayRef<LoadInst *> leading, ScalarEvolution &se,
                   const DataLayout &dl) {
  const Value *object = getUnderlyingObject(load->getPointerOperand());
  uint64_t size = dl.getTypeStoreSize(load->getType()).getFixedValue();
  const SCEV *at = se.getSCEV(load->getPointerOperand());
  return any_of(leading, [&](LoadInst *before) {
    if (getUnderlyingObject(before->getPointerOperand()) != object)
      return false;
    auto *distance =
        dyn_cast<SCEVConstant>(se.getMinusSCEV(se.getSCEV(before->getPointerOperand()), at));
    uint64_t beforeSize = dl.getTypeStoreSize(before->getType()).getFixedValue();
    // before's end - load's end = distance + beforeSize - size >= 0, distance >= 0 too (the
    // bytes below `before` down to `load` lie in memory as well).
    return distance && !distance->getAPInt().isNegative() &&
           distance->getAPInt().getZExtValue() + beforeSize >= size;
  });
}

// Writes as LLVM models them that change no memory a load reads: assumptions, scope
// declarations, lifetime markers.
bool writesNoLoadableMemory(const Instruction &i) {
  if (auto *intrinsic = dyn_cast<IntrinsicInst>(&i))
    return intrinsic->onlyAccessesInaccessibleMemory() || intrinsic->isLifetimeStartOrEnd();
  return false;
}

// LLVM counts an atomic load as a write (for its ordering); only relaxed ones get this far.
bool writesMemory(const Instruction &i) {
  return i.mayWriteToMemory() && !isa<LoadInst>(i) && !writesNoLoadableMemory(i);
}

// The bytes a checked write covers, from `pointer` on.
std::optional<MemoryLocation> writtenLocation(const Instruction &i) {
  if (auto *store = dyn_cast<StoreInst>(&i))
    return MemoryLocation::get(store);
  if (auto *memory = dyn_cast<AnyMemIntrinsic>(&i))
    return MemoryLocation::getForDest(memory);
  return std::nullopt;
}

// Whether `s` is made of sums, products, extensions, min/max, constants, affine recurrences of
// `loop` and values that are the loop's invariants or among `hoisted`.
bool affineOnceHoisted(const SCEV *s, const Loop &loop,
                       const SmallPtrSetImpl<Instruction *> &hoisted) {
  bool ok = true;
  SCEVExprContains(s, [&](const SCEV *e) {
    switch (e->getSCEVType()) {
    case scConstant:
    case scAddExpr:
    case scMulExpr:
    case scZeroExtend:
    case scSignExtend:
    case scTruncate:
    case scPtrToInt:
    case scSMaxExpr:
    case scUMaxExpr:
    case scSMinExpr:
    case scUMinExpr:
      break;
    case scAddRecExpr: {
      auto *ar = cast<SCEVAddRecExpr>(e);
      ok &= ar->isAffine() && (ar->getLoop() == &loop || !loop.contains(ar->getLoop()));
      break;
    }
    case scUnknown: {
      auto *i = dyn_cast<Instruction>(cast<SCEVUnknown>(e)->getValue());
      ok &= !i || !loop.contains(i) || hoisted.contains(i);
      break;
    }
    default:
      ok = false;
    }
    return !ok;
  });
  return ok;
}

bool analyse(Loop &loop, const LoopInfo &li, AAResults &aa, const DominatorTree &dt,
             ScalarEvolution &se, const DataLayout &dl, bool pastStores, Plan &plan) {
  if (!loop.isLoopSimplifyForm() || getBooleanLoopAttribute(&loop, kVersionedMarker))
    return false;
  BasicBlock *header = loop.getHeader(), *latch = loop.getLoopLatch();
  // One back edge, from a branch: the hand-over goes on it.
  auto *backEdge = dyn_cast<BranchInst>(latch->getTerminator());
  if (!backEdge || count(successors(latch), header) != 1)
    return false;
  unsigned size = 0;
  for (BasicBlock *block : loop.blocks()) {
    size += unsigned(block->size());
    for (Instruction &i : *block) {
      // Atomics and volatile accesses order this thread's loads with other threads' writes: a
      // hoisted load would not see what they publish. A relaxed atomic load (the size of a
      // memory that may grow) orders nothing. Invokes have an unwind edge to split.
      auto *load = dyn_cast<LoadInst>(&i);
      bool relaxedLoad =
          load && !load->isVolatile() && !isStrongerThanMonotonic(load->getOrdering());
      if ((i.isAtomic() && !relaxedLoad) || i.isVolatile() || isa<InvokeInst>(i) ||
          isa<CallBrInst>(i))
        return false;
    }
  }
  if (size > kMaxLoopInstructions)
    return false;

  // The header's leading instructions, up to the first that may write memory or not go on to
  // the next: each iteration runs them before anything else can happen. With `pastStores`, plain
  // stores do not end them (the stores stay).
  SmallPtrSet<Instruction *, 16> moved;
  auto available = [&](Value *v) {
    auto *i = dyn_cast<Instruction>(v);
    return !i || !loop.contains(i) || moved.contains(i);
  };
  SmallVector<LoadInst *, 8> watched, leading;
  bool stored = false;
  for (Instruction &i : make_range(header->getFirstNonPHIIt(), header->end())) {
    if (i.isTerminator() || !isGuaranteedToTransferExecutionToSuccessor(&i))
      break;
    if (writesMemory(i)) {
      auto *store = dyn_cast<StoreInst>(&i);
      if (!pastStores || !store || !store->isSimple())
        break;
      stored = true;
      continue;
    }
    if (!all_of(i.operands(), available))
      continue;
    if (auto *load = dyn_cast<LoadInst>(&i); load && load->isSimple()) {
      // A load the translator marks invariant (a VMContext field) needs no watching.
      if (!load->hasMetadata(LLVMContext::MD_invariant_load)) {
        if (load->getPointerAddressSpace() != 0 || load->getType()->isScalableTy())
          continue;
        watched.push_back(load);
        plan.afterStore |= stored;
        if (!stored)
          leading.push_back(load);
        else if (!inBoundsAfter(load, leading, se, dl))
          plan.peel = true;
      }
      moved.insert(load);
      plan.hoisted.push_back(load);
    } else if (!i.mayReadOrWriteMemory() && isSafeToSpeculativelyExecute(&i)) {
      moved.insert(&i);
      plan.hoisted.push_back(&i);
    }
  }
  if (watched.empty())
    return false;
  for (LoadInst *load : watched) {
    const Value *object = getUnderlyingObject(load->getPointerOperand());
    auto group = find_if(plan.groups, [&](const Group &g) { return g.object == object; });
    if (group == plan.groups.end())
      group = plan.groups.insert(plan.groups.end(), Group{object, {}});
    group->loads.push_back(load);
  }

  for (BasicBlock *block : loop.blocks())
    for (Instruction &i : *block) {
      if (!writesMemory(i))
        continue;
      // A check inside an inner loop would run per inner iteration (and keep that loop from
      // being vectorised: dgemm's row loop took 23 % longer): nested writes must be proven
      // apart by alias analysis.
      bool nested = li.getLoopFor(block) != &loop;
      if (auto *call = dyn_cast<CallBase>(&i); call && !isa<AnyMemIntrinsic>(call)) {
        if (call->doesNotReturn()) // a trap: no later iteration sees what it wrote
          continue;
        // A call that every iteration makes would hand over in the first: not worth a copy.
        if (nested || dt.dominates(block, latch))
          return false;
        plan.dirtying.push_back(call);
        continue;
      }
      std::optional<MemoryLocation> written = writtenLocation(i);
      if (!written || !written->Ptr->getType()->isPointerTy() ||
          written->Ptr->getType()->getPointerAddressSpace() != 0)
        return false;
      if (auto *store = dyn_cast<StoreInst>(&i);
          store && dl.getTypeStoreSize(store->getValueOperand()->getType()).isScalable())
        return false;
      for (unsigned g = 0; g < plan.groups.size(); ++g)
        if (any_of(plan.groups[g].loads, [&](LoadInst *load) {
              return !aa.isNoAlias(*written, MemoryLocation::get(load));
            })) {
          if (nested)
            return false;
          plan.checked.push_back({&i, g});
        }
    }
  // With nothing to check, LICM hoists these loads itself.
  if (plan.checked.empty() && plan.dirtying.empty())
    return false;

  // Worth it when each iteration runs fewer instructions: what leaves the loop (the hoisted
  // instructions and what is computed from them alone) against the checks (about three
  // instructions per write each iteration makes, and the test at the back edge). Only what every
  // iteration runs counts. sparse's row loop would hoist a load and two tests for a check, and
  // ran 10 % more instructions; p2p's point loop hoists two loads and what makes a diagonal's
  // first row from them, and runs 22 % fewer.
  auto everyIteration = [&](const Instruction *i) { return dt.dominates(i->getParent(), latch); };
  unsigned saved = unsigned(count_if(plan.hoisted, everyIteration));
  for (bool grew = true; grew;) {
    grew = false;
    for (BasicBlock *block : loop.blocks())
      for (Instruction &i : *block)
        if (!moved.contains(&i) && !isa<PHINode>(i) && !i.mayReadOrWriteMemory() &&
            isSafeToSpeculativelyExecute(&i) && all_of(i.operands(), available)) {
          moved.insert(&i);
          saved += everyIteration(&i);
          grew = true;
        }
  }
  // A store whose address is built from this loop's recurrences, values from outside the loop
  // and the hoisted values alone becomes affine once they are hoisted: it costs nothing per
  // iteration (checkBeforeLoop), unless that fails to prove it after all.
  for (auto [write, g] : plan.checked)
    if (auto *store = dyn_cast<StoreInst>(write);
        store && affineOnceHoisted(se.getSCEV(store->getPointerOperand()), loop, moved))
      plan.ranged.insert(store);
  // When every check can move before the loop, the copy has no test left at its back edge.
  bool allRanged = plan.dirtying.empty() && all_of(plan.checked, [&](auto checked) {
                     return plan.ranged.contains(checked.first);
                   });
  if (plan.afterStore && (!allRanged || (plan.peel && !canPeel(&loop))))
    return false;
  unsigned added = allRanged ? 0 : 1;
  for (auto [write, g] : plan.checked)
    added += everyIteration(write) && !plan.ranged.contains(write) ? 3 : 0;
  return saved > added;
}

// A loop ID with the operands of `old` (if any) and `extra`.
MDNode *loopID(LLVMContext &c, MDNode *old, ArrayRef<Metadata *> extra) {
  SmallVector<Metadata *, 8> ops{nullptr};
  if (old)
    for (unsigned k = 1; k < old->getNumOperands(); ++k)
      ops.push_back(old->getOperand(k));
  ops.append(extra.begin(), extra.end());
  MDNode *id = MDNode::getDistinct(c, ops);
  id->replaceOperandWith(0, id);
  return id;
}

// What checkBeforeLoop needs of a versioned loop.
struct Versioned {
  AllocaInst *dirty;              // the hand-over flag, promoted to registers at once
  BasicBlock *preheader, *header; // of the hoisting copy
  BasicBlock *handover;           // the original loop's preheader
  SmallVector<std::pair<PHINode *, Value *>, 8> entry; // handover's phis, each loop value's start
  struct RangedStore {
    Instruction *hit; // its per-iteration check
    StoreInst *store;
    Value *low, *high; // the span of the hoisted bytes it may touch
  };
  SmallVector<RangedStore, 4> ranged;
  // Every ranged store must be proven apart before the loop (Plan::afterStore), or the original
  // loop runs.
  bool coverEvery = false;
};

// Versions `loop` as `plan` says.
Versioned version(Function &f, Loop &loop, LoopInfo &li, DominatorTree &dt, const Plan &plan) {
  LLVMContext &c = f.getContext();
  const DataLayout &dl = f.getDataLayout();
  formLCSSA(loop, dt, &li, nullptr);
  BasicBlock *header = loop.getHeader(), *latch = loop.getLoopLatch();
  BasicBlock *entry = loop.getLoopPreheader();
  MDNode *oldID = loop.getLoopID();
  // The original loop keeps its blocks and becomes the copy that reloads; its preheader is
  // where the hoisting copy hands over.
  BasicBlock *handover =
      SplitBlock(entry, entry->getTerminator(), &dt, &li, nullptr, "pw.hoist.handover");
  ValueToValueMapTy vmap;
  SmallVector<BasicBlock *, 16> cloned;
  cloneLoopWithPreheader(handover, entry, &loop, vmap, ".pw.hoisted", &li, &dt, cloned);
  remapInstructionsInBlocks(cloned, vmap);
  auto mapped = [&](Value *v) {
    Value *m = vmap.lookup(v);
    return m ? m : v;
  };
  auto *fastHeader = cast<BasicBlock>(vmap[header]);
  auto *fastLatch = cast<BasicBlock>(vmap[latch]);
  auto *fastPreheader = cast<BasicBlock>(vmap[handover]);
  entry->getTerminator()->replaceSuccessorWith(handover, fastPreheader);

  // Both copies leave into the same (LCSSA) exit blocks.
  SmallVector<BasicBlock *, 4> exits;
  loop.getUniqueExitBlocks(exits);
  for (BasicBlock *exit : exits)
    for (PHINode &phi : exit->phis())
      for (unsigned k = 0, n = phi.getNumIncomingValues(); k < n; ++k) {
        BasicBlock *from = phi.getIncomingBlock(k);
        if (loop.contains(from))
          phi.addIncoming(mapped(phi.getIncomingValue(k)), cast<BasicBlock>(vmap[from]));
      }

  // The loads, and what their addresses are computed from, move before the loop.
  Instruction *before = fastPreheader->getTerminator();
  for (Instruction *i : plan.hoisted)
    cast<Instruction>(vmap[i])->moveBefore(before);
  IRBuilder<> b(before);
  Type *intPtr = dl.getIntPtrType(c);
  auto address = [&](IRBuilder<> &at, Value *pointer) {
    return at.CreatePtrToInt(pointer, intPtr);
  };
  SmallVector<std::pair<Value *, Value *>, 2> spans; // [low, high) per group
  for (const Group &group : plan.groups) {
    Value *low = nullptr, *high = nullptr;
    for (LoadInst *load : group.loads) {
      auto *copy = cast<LoadInst>(vmap[load]);
      Value *start = address(b, copy->getPointerOperand());
      Value *end = b.CreateAdd(
          start, ConstantInt::get(intPtr, dl.getTypeStoreSize(copy->getType()).getFixedValue()));
      low = low ? b.CreateBinaryIntrinsic(Intrinsic::umin, low, start) : start;
      high = high ? b.CreateBinaryIntrinsic(Intrinsic::umax, high, end) : end;
    }
    spans.push_back({low, high});
  }

  // Whether this iteration may have changed a hoisted value: set by the checks, read at the end.
  IRBuilder<> atEntry(&*f.getEntryBlock().getFirstInsertionPt());
  AllocaInst *dirty = atEntry.CreateAlloca(b.getInt1Ty(), nullptr, "pw.hoist.dirty");
  Versioned result{dirty, fastPreheader, fastHeader, handover, {}, {}, plan.afterStore};
  // Cleared at the top of each iteration (an iteration that set it was the copy's last), so
  // no flag is carried from one iteration to the next.
  new StoreInst(b.getFalse(), dirty, fastHeader->getFirstInsertionPt());
  for (auto [write, g] : plan.checked) {
    auto *copy = cast<Instruction>(vmap[write]);
    IRBuilder<> w(copy);
    auto [low, high] = spans[g];
    Value *hit;
    if (auto *store = dyn_cast<StoreInst>(copy)) {
      // Bytes [start, start + size) meet [low, high) when start lies in [low - size + 1, high):
      // one unsigned compare of start - (low - size + 1), with both bounds loop-invariant.
      Value *start = address(w, store->getPointerOperand());
      uint64_t size = dl.getTypeStoreSize(store->getValueOperand()->getType()).getFixedValue();
      Value *first = b.CreateSub(low, ConstantInt::get(intPtr, size - 1));
      Value *span = b.CreateSub(high, first);
      hit = w.CreateICmpULT(w.CreateSub(start, first), span, "pw.hoist.hit");
      if (plan.ranged.contains(write))
        result.ranged.push_back({cast<Instruction>(hit), store, low, high});
    } else {
      auto *memory = cast<AnyMemIntrinsic>(copy);
      Value *start = address(w, memory->getRawDest());
      Value *end = w.CreateAdd(start, w.CreateZExtOrTrunc(memory->getLength(), intPtr));
      hit = w.CreateAnd(w.CreateICmpULT(start, high), w.CreateICmpUGT(end, low), "pw.hoist.hit");
    }
    w.CreateStore(w.CreateOr(w.CreateLoad(w.getInt1Ty(), dirty), hit), dirty);
  }
  for (CallBase *call : plan.dirtying) {
    IRBuilder<> w(cast<Instruction>(vmap[call])->getNextNode());
    w.CreateStore(w.getTrue(), dirty);
  }

  // The back edge of the hoisting copy goes through a check: an iteration that may have changed
  // a hoisted value hands over to the original loop, which starts its next iteration.
  BasicBlock *check = BasicBlock::Create(c, "pw.hoist.check", &f, handover);
  fastLatch->getTerminator()->replaceSuccessorWith(fastHeader, check);
  fastLatch->getTerminator()->setMetadata(LLVMContext::MD_loop, nullptr);
  for (PHINode &phi : fastHeader->phis())
    phi.replaceIncomingBlockWith(fastLatch, check);
  IRBuilder<> atCheck(check);
  BranchInst *fastBackEdge =
      atCheck.CreateCondBr(atCheck.CreateLoad(b.getInt1Ty(), dirty), handover, fastHeader);
  for (PHINode &phi : header->phis()) {
    PHINode *carried = PHINode::Create(phi.getType(), 1, phi.getName() + ".pw.handover");
    carried->insertBefore(handover->begin());
    carried->addIncoming(mapped(phi.getIncomingValueForBlock(latch)), check);
    result.entry.push_back({carried, phi.getIncomingValueForBlock(handover)});
    phi.setIncomingValueForBlock(handover, carried);
  }

  // Mark both; the original is now the rare path: not worth vectorising or unrolling. The copy
  // keeps the hoisted values in registers across the loop; unrolled by a trip count known only
  // at run time, it also spilled them (p2p's points ran 30 % slower with 30 % fewer
  // instructions), so only the vectoriser and a full unroll may widen it.
  auto *marker = MDNode::get(c, {MDString::get(c, kVersionedMarker)});
  Metadata *noRuntimeUnroll[] = {MDString::get(c, "llvm.loop.unroll.runtime.disable")};
  fastBackEdge->setMetadata(LLVMContext::MD_loop,
                            loopID(c, oldID, {marker, MDNode::get(c, noRuntimeUnroll)}));
  Metadata *noVectors[] = {MDString::get(c, "llvm.loop.vectorize.enable"),
                           ConstantAsMetadata::get(ConstantInt::getFalse(c))};
  Metadata *noUnroll[] = {MDString::get(c, "llvm.loop.unroll.disable")};
  latch->getTerminator()->setMetadata(
      LLVMContext::MD_loop,
      loopID(c, oldID, {marker, MDNode::get(c, noVectors), MDNode::get(c, noUnroll)}));
  return result;
}

// Replaces the per-iteration checks of stores whose address is now an affine function of the
// iteration (`v.ranged`) by one check before the loop: the bytes each stores to over every
// iteration the loop may run (its last value from the loop's largest trip count) miss the hoisted
// bytes, and no 32-bit address sum wraps on the way (predicates, as the vectoriser's). When that
// fails, the loop is not entered: the original one runs from the first iteration. The hoisting
// copy of a loop whose every check moved out has no early exit left and may be vectorised.
void checkBeforeLoop(Function &f, FunctionAnalysisManager &fam, Versioned &v) {
  if (v.ranged.empty())
    return;
  auto &li = fam.getResult<LoopAnalysis>(f);
  auto &se = fam.getResult<ScalarEvolutionAnalysis>(f);
  // Not entered: straight to the original loop, its values at their starts.
  auto enterWhen = [&](Value *ok) {
    Instruction *at = v.preheader->getTerminator();
    BasicBlock *enter = SplitBlock(v.preheader, at, static_cast<DominatorTree *>(nullptr), nullptr,
                                   nullptr, "pw.hoist.enter");
    v.preheader->getTerminator()->eraseFromParent();
    BranchInst::Create(enter, v.handover, ok, v.preheader);
    for (auto [carried, start] : v.entry)
      carried->addIncoming(start, v.preheader);
  };
  // A load hoisted past a store is right only if no store of the loop can change it.
  auto neverEnter = [&] {
    if (v.coverEvery)
      enterWhen(ConstantInt::getFalse(f.getContext()));
  };
  Loop *loop = li.getLoopFor(v.header);
  if (!loop || loop->getHeader() != v.header || loop->getLoopPreheader() != v.preheader)
    return neverEnter();
  PredicatedScalarEvolution pse(se, *loop);
  const SCEV *trips = pse.getSymbolicMaxBackedgeTakenCount();
  auto divides = [](const SCEV *e) { return isa<SCEVUDivExpr>(e); };
  if (isa<SCEVCouldNotCompute>(trips) || SCEVExprContains(trips, divides))
    return neverEnter();
  const DataLayout &dl = f.getDataLayout();
  Type *intPtr = dl.getIntPtrType(f.getContext());
  Instruction *at = v.preheader->getTerminator();
  SCEVExpander expander(se, dl, "pw.hoist.range");
  IRBuilder<> b(at);
  Value *ok = b.getTrue();
  SmallVector<Instruction *, 4> covered;
  for (auto &r : v.ranged) {
    Value *pointer = r.store->getPointerOperand();
    const SCEV *first, *last;
    if (se.isLoopInvariant(se.getSCEV(pointer), loop)) {
      first = last = se.getSCEV(pointer);
    } else {
      const SCEVAddRecExpr *ar = pse.getAsAddRec(pointer);
      if (!ar || ar->getLoop() != loop || !ar->isAffine())
        continue;
      first = ar->getStart();
      const SCEV *step = ar->getStepRecurrence(se);
      last = se.getAddExpr(first,
                           se.getMulExpr(step, se.getTruncateOrZeroExtend(trips, step->getType())));
    }
    if (SCEVExprContains(first, divides) || SCEVExprContains(last, divides) ||
        !expander.isSafeToExpand(first) || !expander.isSafeToExpand(last))
      continue;
    Value *a = b.CreatePtrToInt(expander.expandCodeFor(first, nullptr, at), intPtr);
    Value *z = b.CreatePtrToInt(expander.expandCodeFor(last, nullptr, at), intPtr);
    uint64_t size = dl.getTypeStoreSize(r.store->getValueOperand()->getType()).getFixedValue();
    Value *low = b.CreateBinaryIntrinsic(Intrinsic::umin, a, z);
    Value *high =
        b.CreateAdd(b.CreateBinaryIntrinsic(Intrinsic::umax, a, z), ConstantInt::get(intPtr, size));
    ok = b.CreateAnd(ok, b.CreateOr(b.CreateICmpULE(high, r.low), b.CreateICmpUGE(low, r.high)),
                     "pw.hoist.apart");
    covered.push_back(r.hit);
  }
  if (covered.empty() || (v.coverEvery && covered.size() != v.ranged.size()))
    return neverEnter();
  // expandCodeForPredicate yields true where the predicate fails. Its no-wrap checks count the
  // loop's symbolic largest trip count (LLVM 19's expander), which this loop, with its hand-over
  // exit, has where an exact one it has not.
  ok = b.CreateAnd(ok, b.CreateNot(expander.expandCodeForPredicate(&pse.getPredicate(), at)),
                   "pw.hoist.ranges.ok");
  for (Instruction *hit : covered) {
    hit->replaceAllUsesWith(ConstantInt::getFalse(f.getContext()));
    hit->eraseFromParent();
  }
  enterWhen(ok);
}

} // namespace

PreservedAnalyses LoadHoistingPass::run(Function &f, FunctionAnalysisManager &fam) {
  if (f.isDeclaration())
    return PreservedAnalyses::all();
  unsigned versioned = 0;
  bool peeled = false; // a loop peeled and then not versioned changed the function too
  while (versioned < kMaxVersionedLoops) {
    auto &li = fam.getResult<LoopAnalysis>(f);
    auto &dt = fam.getResult<DominatorTreeAnalysis>(f);
    auto &aa = fam.getResult<AAManager>(f);
    auto &se = fam.getResult<ScalarEvolutionAnalysis>(f);
    Plan plan;
    Loop *target = nullptr;
    for (Loop *loop : li.getLoopsInPreorder()) {
      for (bool pastStores : {true, false}) {
        if (analyse(*loop, li, aa, dt, se, f.getDataLayout(), pastStores, plan)) {
          target = loop;
          break;
        }
        plan = Plan();
      }
      if (target)
        break;
    }
    if (!target)
      break;
    if (plan.peel) {
      // The first iteration runs as it was: a load hoisted above a store must not trap before
      // it. Once that iteration has made the load, its address is in bounds for good (memory
      // only grows), and the loop proper starts at the second.
      ValueToValueMapTy peeledValues;
      auto &ac = fam.getResult<AssumptionAnalysis>(f);
      if (!peelLoop(target, 1, &li, &se, dt, &ac, /*PreserveLCSSA=*/false, peeledValues))
        break;
      peeled = true;
      simplifyLoop(target, &dt, &li, &se, &ac, nullptr, /*PreserveLCSSA=*/false);
      if (!target->isLoopSimplifyForm()) // version() needs a preheader and one latch
        break;
    }
    // The flag becomes registers before the next loop is looked at, whose loads it would join.
    Versioned v = version(f, *target, li, dt, plan);
    DominatorTree updated(f);
    PromoteMemToReg({v.dirty}, updated);
    ++versioned;
    fam.invalidate(f, PreservedAnalyses::none());
    checkBeforeLoop(f, fam, v);
    fam.invalidate(f, PreservedAnalyses::none());
  }
  if (!versioned && !peeled)
    return PreservedAnalyses::all();
  return PreservedAnalyses::none();
}

} // namespace parawasm::compile

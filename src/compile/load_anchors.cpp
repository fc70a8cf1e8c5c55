#include "compile/load_anchors.h"

#include <llvm/ADT/SmallPtrSet.h>
#include <llvm/Analysis/DemandedBits.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/IntrinsicInst.h>

namespace parawasm::compile {

using namespace llvm;

namespace {

constexpr StringLiteral kAnchorTag = "noundef";

// The value an anchor keeps alive, or null when `i` is no anchor.
Value *anchoredValue(Instruction &i) {
  auto *assume = dyn_cast<AssumeInst>(&i);
  auto *condition = assume ? dyn_cast<ConstantInt>(assume->getArgOperand(0)) : nullptr;
  if (!condition || !condition->isOne() || assume->getNumOperandBundles() != 1)
    return nullptr;
  OperandBundleUse bundle = assume->getOperandBundleAt(0);
  if (bundle.getTagName() != kAnchorTag || bundle.Inputs.size() != 1)
    return nullptr;
  return bundle.Inputs[0].get();
}

// Whether the last lane of vector `load` (at the highest address) is used: each user but an
// extractelement or shufflevector uses every lane, and those use the lanes they take. A narrowed
// load that keeps that lane still reaches past the end of memory wherever the whole load did.
bool usesLastLane(LoadInst &load, unsigned lanes) {
  for (User *u : load.users()) {
    if (auto *extract = dyn_cast<ExtractElementInst>(u)) {
      auto *index = dyn_cast<ConstantInt>(extract->getIndexOperand());
      if (!index || index->getZExtValue() == lanes - 1)
        return true;
    } else if (auto *shuffle = dyn_cast<ShuffleVectorInst>(u)) {
      for (int m : shuffle->getShuffleMask())
        if ((shuffle->getOperand(0) == &load && m == int(lanes - 1)) ||
            (shuffle->getOperand(1) == &load && m == int(2 * lanes - 1)))
          return true;
    } else {
      return true;
    }
  }
  return false;
}

// Whether a select in `load`'s block takes its value, or one computed from it there, on only one
// of its ways (a masked operation could then leave the load out on the other; where both ways or
// the condition need the value, the load is made whatever the condition).
bool feedsSelect(LoadInst &load) {
  SmallPtrSet<Value *, 16> fromLoad{&load};
  SmallVector<Instruction *, 8> work{&load};
  SmallVector<SelectInst *, 4> selects;
  while (!work.empty()) {
    Instruction *v = work.pop_back_val();
    for (User *u : v->users()) {
      auto *user = cast<Instruction>(u);
      // What is computed from the value, not what is loaded through it, nor (a phi) what a loop
      // carries to its next iteration.
      if (user->getParent() != load.getParent() || isa<PHINode>(user) ||
          user->mayReadOrWriteMemory() || user->isTerminator() || !fromLoad.insert(user).second)
        continue;
      work.push_back(user);
      if (auto *select = dyn_cast<SelectInst>(user))
        selects.push_back(select);
    }
  }
  return any_of(selects, [&](SelectInst *select) {
    return !fromLoad.contains(select->getCondition()) &&
           fromLoad.contains(select->getTrueValue()) != fromLoad.contains(select->getFalseValue());
  });
}

} // namespace

void anchorLoad(IRBuilderBase &b, LoadInst *load) {
  Function *assume = Intrinsic::getDeclaration(b.GetInsertBlock()->getModule(), Intrinsic::assume);
  OperandBundleDef bundle(std::string(kAnchorTag), std::vector<Value *>{load});
  b.CreateCall(assume, {b.getTrue()}, {bundle});
  // LLVM may drop an assumption (it is "droppable"): loop deletion removes a loop whose only
  // effects are assumptions, with its loads. llvm.sideeffect is an effect nothing drops.
  b.CreateCall(Intrinsic::getDeclaration(b.GetInsertBlock()->getModule(), Intrinsic::sideeffect));
}

bool releaseLoadAnchors(Function &f, bool everyLoad) {
  SmallVector<Instruction *, 32> anchors, effects;
  SmallPtrSet<LoadInst *, 32> anchored;
  for (Instruction &i : instructions(f))
    if (auto *effect = dyn_cast<IntrinsicInst>(&i);
        effect && effect->getIntrinsicID() == Intrinsic::sideeffect)
      effects.push_back(&i);
    else if (Value *v = anchoredValue(i)) {
      anchors.push_back(&i);
      // Optimisation may have replaced the load by another (one it equals) or by the value a
      // store put there: only a load still there needs keeping. The vectoriser anchors each lane
      // of a vector load through an extractelement.
      if (auto *lane = dyn_cast<ExtractElementInst>(v))
        v = lane->getVectorOperand();
      if (auto *load = dyn_cast<LoadInst>(v); load && load->isSimple())
        anchored.insert(load);
    }
  for (Instruction *e : effects)
    e->eraseFromParent();
  if (anchors.empty())
    return !effects.empty();
  for (Instruction *a : anchors) {
    auto *lane = dyn_cast<ExtractElementInst>(anchoredValue(*a));
    a->eraseFromParent();
    if (lane && lane->use_empty())
      lane->eraseFromParent();
  }
  if (everyLoad) {
    for (LoadInst *load : anchored)
      load->setVolatile(true);
    return true;
  }
  // What the function's effects need, as ADCE finds it: everything that may have an effect, and
  // what that uses, transitively.
  SmallPtrSet<Instruction *, 32> live;
  SmallVector<Instruction *, 128> work;
  for (Instruction &i : instructions(f))
    if (i.isTerminator() || i.mayHaveSideEffects() || i.isEHPad())
      if (live.insert(&i).second)
        work.push_back(&i);
  while (!work.empty()) {
    Instruction *i = work.pop_back_val();
    for (Value *operand : i->operands())
      if (auto *d = dyn_cast<Instruction>(operand))
        if (live.insert(d).second)
          work.push_back(d);
  }
  for (LoadInst *load : anchored) {
    // Machine code sinking moves a load that its own block does not use into the block that
    // does, past the branch between them: a trap check's (whose trap then comes first), or one
    // whose other way stores, calls or returns (and then skips the load and its trap). Volatile
    // keeps it where Wasm put it.
    bool usedInItsBlock = any_of(load->users(), [&](User *u) {
      return cast<Instruction>(u)->getParent() == load->getParent();
    });
    if (!live.contains(load) || !usedInItsBlock)
      load->setVolatile(true);
  }
  return true;
}

PreservedAnalyses KeepLoadsWholePass::run(Function &f, FunctionAnalysisManager &analyses) {
  DemandedBits *demanded = nullptr;
  bool changed = false;
  for (Instruction &i : instructions(f)) {
    auto *load = dyn_cast<LoadInst>(&i);
    if (!load || !load->isSimple() || load->use_empty())
      continue;
    // Little-endian: the most significant byte is at the highest address.
    bool lastByteUnused = false;
    if (auto *integer = dyn_cast<IntegerType>(load->getType());
        integer && integer->getBitWidth() >= 8) {
      if (!demanded)
        demanded = &analyses.getResult<DemandedBitsAnalysis>(f);
      unsigned bits = integer->getBitWidth();
      lastByteUnused = demanded->getDemandedBits(load).extractBits(8, bits - 8).isZero();
    } else if (auto *vector = dyn_cast<FixedVectorType>(load->getType())) {
      lastByteUnused = !usesLastLane(*load, vector->getNumElements());
    }
    if (lastByteUnused) {
      load->setVolatile(true);
      changed = true;
    }
  }
  // After the widths: a freeze would hide from DemandedBits what a load's users take of it.
  SmallVector<LoadInst *, 8> masked;
  for (Instruction &i : instructions(f))
    if (auto *load = dyn_cast<LoadInst>(&i); load && !load->isAtomic() && feedsSelect(*load))
      masked.push_back(load);

  for (LoadInst *load : masked) {
    // Volatile too: a select of vectors on a scalar condition becomes a branch, into whose one
    // way machine code sinking would move the load.
    load->setVolatile(true);
    auto *frozen = new FreezeInst(load, load->getName() + ".whole");
    frozen->insertAfter(load);
    load->replaceUsesWithIf(frozen, [&](Use &u) { return u.getUser() != frozen; });
    changed = true;
  }
  if (!changed)
    return PreservedAnalyses::all();
  PreservedAnalyses kept;
  kept.preserveSet<CFGAnalyses>();
  return kept;
}

PreservedAnalyses ReleaseLoadAnchorsPass::run(Function &f, FunctionAnalysisManager &) {
  if (!releaseLoadAnchors(f, everyLoad))
    return PreservedAnalyses::all();
  // Only calls of llvm.assume went, and loads turned volatile: the CFG is as it was.
  PreservedAnalyses kept;
  kept.preserveSet<CFGAnalyses>();
  return kept;
}

} // namespace parawasm::compile

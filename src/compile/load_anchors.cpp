#include "compile/load_anchors.h"

#include <llvm/ADT/SmallBitVector.h>
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

} // namespace

void anchorLoad(IRBuilderBase &b, LoadInst *load) {
  Function *assume = Intrinsic::getDeclaration(b.GetInsertBlock()->getModule(), Intrinsic::assume);
  OperandBundleDef bundle(std::string(kAnchorTag), std::vector<Value *>{load});
  b.CreateCall(assume, {b.getTrue()}, {bundle});
}

bool releaseLoadAnchors(Function &f, bool everyLoad) {
  SmallVector<Instruction *, 32> anchors;
  SmallPtrSet<LoadInst *, 32> anchored;
  for (Instruction &i : instructions(f))
    if (Value *v = anchoredValue(i)) {
      anchors.push_back(&i);
      // Optimisation may have replaced the load by another (one it equals) or by the value a
      // store put there: only a load still there needs keeping.
      if (auto *load = dyn_cast<LoadInst>(v->stripPointerCasts()); load && load->isSimple())
        anchored.insert(load);
    }
  if (anchors.empty())
    return false;
  for (Instruction *a : anchors)
    a->eraseFromParent();
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
  // A vector load of which only some lanes are used stays whole from here on: the passes after
  // the vectoriser would turn it into loads of those lanes (VectorCombine).
  for (LoadInst *load : anchored) {
    auto *vector = dyn_cast<FixedVectorType>(load->getType());
    if (!live.contains(load) || (vector && !usesLastLane(*load, vector->getNumElements())))
      load->setVolatile(true);
  }
  return true;
}

PreservedAnalyses KeepLoadWidthsPass::run(Function &f, FunctionAnalysisManager &analyses) {
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

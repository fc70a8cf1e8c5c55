#include "compile/gpu_check_versioning.h"
#include "compile/ir_marker.h"
#include "compile/loop_versioning.h"

#include <llvm/Analysis/AssumptionCache.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/Analysis/ScalarEvolutionExpressions.h>
#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/PatternMatch.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>
#include <llvm/Transforms/Utils/LoopSimplify.h>
#include <llvm/Transforms/Utils/LoopUtils.h>
#include <llvm/Transforms/Utils/ScalarEvolutionExpander.h>

#include <optional>

namespace parawasm::compile {
namespace {

using namespace llvm;

constexpr llvm::StringLiteral kTestFunction = "pw.gpu.access_test";
// Loops bigger than this keep their tests: versioning doubles their code.
constexpr unsigned kMaxLoopInstructions = 2000;
// Loops versioned per function, at most.
constexpr unsigned kMaxVersionedLoops = 16;

CallInst *asAccessTest(Instruction &i) { return asMarkerCall(&i, kTestFunction); }

// One access test the loop's check block can decide for all iterations.
struct Test {
  CallInst *test;
  // What the branch tests: `test`, or `test` and an invariant condition (`extra`).
  Instruction *condition;
  Value *extra;
  const SCEVAddRecExpr *rel; // the i32 offset in the span, affine in the loop
  unsigned shift;
  Value *limit;
  // An earlier test whose rel differs from this one's by the constant `distance` in every
  // iteration (an unrolled loop's neighbours), or null; in the copy the two share one address
  // recurrence.
  const Test *leader = nullptr;
  int64_t distance = 0;
};

std::optional<Test> parse(CallInst &test, Loop &loop, ScalarEvolution &se) {
  using namespace PatternMatch;
  Value *rel = test.getArgOperand(0), *limit = test.getArgOperand(1);
  unsigned shift = unsigned(cast<ConstantInt>(test.getArgOperand(2))->getZExtValue());
  if (!loop.isLoopInvariant(limit))
    return std::nullopt;
  auto *sum = dyn_cast<SCEVAddRecExpr>(se.getSCEV(rel));
  if (!sum || sum->getLoop() != &loop || !sum->isAffine())
    return std::nullopt;
  Test t{&test, &test, nullptr, sum, shift, limit, nullptr, 0};
  // The policy's test may be and-ed with an invariant condition (offset <= span start).
  if (test.hasOneUse()) {
    auto *user = cast<Instruction>(*test.user_begin());
    Value *a, *b;
    if (match(user, m_LogicalAnd(m_Value(a), m_Value(b)))) {
      Value *rest = a == &test ? b : a;
      if (loop.isLoopInvariant(rest)) {
        t.condition = user;
        t.extra = rest;
      }
    }
  }
  return t;
}

Value *expandedTest(IRBuilderBase &b, Value *rel, Value *limit, unsigned shift) {
  Value *probe =
      shift ? b.CreateIntrinsic(Intrinsic::fshr, {rel->getType()}, {rel, rel, b.getInt32(shift)})
            : rel;
  return b.CreateICmpULT(probe, limit);
}

class CheckVersioner {
public:
  CheckVersioner(Function &f, Loop &loop, LoopInfo &li, DominatorTree &dt, ScalarEvolution &se,
                 AssumptionCache &ac)
      : f_(f), loop_(loop), li_(li), dt_(dt), se_(se), ac_(ac) {}

  bool run() {
    if (!loop_.isInnermost())
      return false;
    unsigned size = 0;
    for (BasicBlock *bb : loop_.blocks()) {
      size += bb->size();
      for (Instruction &i : *bb)
        if (CallInst *test = asAccessTest(i))
          if (auto t = parse(*test, loop_, se_))
            tests_.push_back(*t);
    }
    if (tests_.empty() || size > kMaxLoopInstructions)
      return false;
    for (size_t i = 0; i < tests_.size(); ++i)
      for (size_t j = 0; j < i && !tests_[i].leader; ++j) {
        const Test &leader = tests_[j];
        if (leader.leader ||
            leader.rel->getStepRecurrence(se_) != tests_[i].rel->getStepRecurrence(se_))
          continue;
        if (auto *d = dyn_cast<SCEVConstant>(
                se_.getMinusSCEV(tests_[i].rel->getStart(), leader.rel->getStart()))) {
          tests_[i].leader = &leader;
          tests_[i].distance = d->getAPInt().getSExtValue();
        }
      }
    const SCEV *trips = se_.getSymbolicMaxBackedgeTakenCount(&loop_);
    if (isa<SCEVCouldNotCompute>(trips) || trips->getType()->getIntegerBitWidth() > 64)
      return false;
    // A division by a variable (a grid-stride loop's count: distance / grid size) is a long
    // instruction sequence on a GPU, dearer than the tests of the iteration or two such a loop
    // runs. (Unrolled loops divide by a constant: a shift.)
    if (SCEVExprContains(trips, [](const SCEV *s) {
          auto *division = dyn_cast<SCEVUDivExpr>(s);
          return division && !isa<SCEVConstant>(division->getRHS());
        }))
      return false;
    if (!loop_.isLoopSimplifyForm())
      simplifyLoop(&loop_, &dt_, &li_, &se_, &ac_, nullptr, false);
    if (!loop_.isLoopSimplifyForm() || !loop_.hasDedicatedExits())
      return false;
    SCEVExpander expander(se_, f_.getDataLayout(), "pw.checks");
    Instruction *at = loop_.getLoopPreheader()->getTerminator();
    if (!expander.isSafeToExpandAt(trips, at))
      return false;
    for (const Test &t : tests_)
      if (!expander.isSafeToExpandAt(t.rel->getStart(), at) ||
          !expander.isSafeToExpandAt(t.rel->getStepRecurrence(se_), at))
        return false;
    version(trips, expander);
    return true;
  }

private:
  // Whether every test passes in every iteration. Each rel takes the values first + step * j
  // (mod 2^32) for j = 0 .. trips. Computed exactly in i64 (trips < 2^32, |step| < 2^31), they
  // move one way, so when the first and the last lie in [0, 2^32), each equals its i32 value;
  // with first and step multiples of the width all are aligned, and the greatest decides
  // whether all pass the test's bound.
  Value *allPass(IRBuilder<> &b, const SCEV *trips, SCEVExpander &expander) {
    Instruction *at = &*b.GetInsertPoint();
    Type *i32 = b.getInt32Ty(), *i64 = b.getInt64Ty();
    Value *count = b.CreateZExt(expander.expandCodeFor(trips, trips->getType(), at), i64);
    Value *ok = b.CreateICmpULT(count, b.getInt64(uint64_t(1) << 32));
    for (const Test &t : tests_) {
      Value *start = expander.expandCodeFor(t.rel->getStart(), i32, at);
      Value *step = expander.expandCodeFor(t.rel->getStepRecurrence(se_), i32, at);
      Value *first = b.CreateZExt(start, i64);
      Value *last = b.CreateAdd(first, b.CreateMul(count, b.CreateSExt(step, i64)));
      Value *lo = b.CreateBinaryIntrinsic(Intrinsic::smin, first, last);
      Value *hi = b.CreateBinaryIntrinsic(Intrinsic::smax, first, last);
      ok = b.CreateAnd(ok, b.CreateICmpSGE(lo, b.getInt64(0)));
      ok = b.CreateAnd(ok, b.CreateICmpULT(hi, b.getInt64(uint64_t(1) << 32)));
      ok = b.CreateAnd(ok, b.CreateICmpULT(b.CreateLShr(hi, t.shift), b.CreateZExt(t.limit, i64)));
      if (t.shift) {
        Value *low = b.CreateAnd(b.CreateOr(start, step), (1u << t.shift) - 1);
        ok = b.CreateAnd(ok, b.CreateICmpEQ(low, b.getInt32(0)));
      }
      if (t.extra)
        ok = b.CreateAnd(ok, t.extra);
      if (t.leader) {
        // Its values are exactly the leader's plus the distance: no wrap in between.
        Value *leaderFirst =
            b.CreateZExt(expander.expandCodeFor(t.leader->rel->getStart(), i32, at), i64);
        Value *leaderLast = b.CreateAdd(leaderFirst, b.CreateMul(count, b.CreateSExt(step, i64)));
        Value *distance = b.getInt64(uint64_t(t.distance));
        Value *low = b.CreateAdd(b.CreateBinaryIntrinsic(Intrinsic::smin, leaderFirst, leaderLast),
                                 distance);
        Value *high = b.CreateAdd(b.CreateBinaryIntrinsic(Intrinsic::smax, leaderFirst, leaderLast),
                                  distance);
        ok = b.CreateAnd(ok, b.CreateICmpSGE(low, b.getInt64(0)));
        ok = b.CreateAnd(ok, b.CreateICmpSLT(high, b.getInt64(uint64_t(1) << 32)));
      }
    }
    return ok;
  }

  void version(const SCEV *trips, SCEVExpander &expander) {
    formLCSSA(loop_, dt_, &li_, &se_);
    BasicBlock *check = loop_.getLoopPreheader();
    BasicBlock *preheader =
        SplitBlock(check, check->getTerminator(), &dt_, &li_, nullptr, "pw.checks.ph");
    Instruction *at = check->getTerminator();
    IRBuilder<> b(at);
    Value *ok = allPass(b, trips, expander);
    ValueToValueMapTy vmap;
    Loop *passed = copyLoop(loop_, preheader, check, ".pw.passed", li_, dt_, vmap);
    BranchInst::Create(passed->getLoopPreheader(), preheader, ok, at);
    at->eraseFromParent();
    dt_.recalculate(f_);
    // Without its tests the copy is small; unrolled twice more (a 2x-unrolled guest loop then
    // does four steps per round, as nvcc's loops do), more of its loads are in flight at once
    // and the loop's own increments and branch count less.
    addStringMetadataToLoop(passed, "llvm.loop.unroll.count", 2);
    // In the copy each rel stays in [0, 2^32) and moves one way, so zext(rel) is the i64
    // recurrence {zext(start), +, sext(step)}: 64-bit address arithmetic that the back end's
    // strength reduction turns into one pointer increment per stream.
    SCEVExpander wide(se_, f_.getDataLayout(), "pw.wide");
    Type *i64 = Type::getInt64Ty(f_.getContext());
    for (const Test &t : tests_) {
      auto *rel = dyn_cast_or_null<Instruction>(vmap.lookup(t.test->getArgOperand(0)));
      if (!rel)
        continue;
      const Test &base = t.leader ? *t.leader : t;
      const SCEV *offset = se_.getAddRecExpr(
          se_.getAddExpr(se_.getZeroExtendExpr(base.rel->getStart(), i64),
                         se_.getConstant(i64, uint64_t(t.distance), /*isSigned=*/true)),
          se_.getSignExtendExpr(t.rel->getStepRecurrence(se_), i64), passed, SCEV::FlagAnyWrap);
      for (User *u : make_early_inc_range(rel->users()))
        if (auto *zext = dyn_cast<ZExtInst>(u); zext && zext->getType() == i64) {
          zext->replaceAllUsesWith(wide.expandCodeFor(offset, i64, zext));
          zext->eraseFromParent();
        }
    }
    // In the copy each decided test has passed; the original keeps them all, expanded so that
    // it is not versioned again.
    for (const Test &t : tests_) {
      // Gone from the copy, so that it is not versioned again either.
      Constant *passes = ConstantInt::getTrue(f_.getContext());
      auto *copiedTest = cast<Instruction>(vmap[t.test]);
      auto *copied = cast<Instruction>(vmap[t.condition]);
      copied->replaceAllUsesWith(passes);
      if (copied != copiedTest)
        copied->eraseFromParent();
      copiedTest->replaceAllUsesWith(passes);
      copiedTest->eraseFromParent();
      IRBuilder<> at(t.test);
      t.test->replaceAllUsesWith(
          expandedTest(at, t.test->getArgOperand(0), t.test->getArgOperand(1), t.shift));
      t.test->eraseFromParent();
    }
  }

  Function &f_;
  Loop &loop_;
  LoopInfo &li_;
  DominatorTree &dt_;
  ScalarEvolution &se_;
  AssumptionCache &ac_;
  SmallVector<Test, 8> tests_;
};

} // namespace

Value *emitAccessTest(IRBuilderBase &b, Value *rel, Value *limit, unsigned shift) {
  return callMarker(b, kTestFunction, b.getInt1Ty(), {rel, limit, b.getInt32(shift)});
}

void expandAccessTests(Module &m) {
  Function *f = m.getFunction(kTestFunction);
  if (!f)
    return;
  for (User *u : make_early_inc_range(f->users())) {
    auto *call = cast<CallInst>(u);
    IRBuilder<> b(call);
    call->replaceAllUsesWith(
        expandedTest(b, call->getArgOperand(0), call->getArgOperand(1),
                     unsigned(cast<ConstantInt>(call->getArgOperand(2))->getZExtValue())));
    call->eraseFromParent();
  }
  f->eraseFromParent();
}

PreservedAnalyses GpuCheckVersioningPass::run(Function &f, FunctionAnalysisManager &fam) {
  auto &tli = fam.getResult<TargetLibraryAnalysis>(f);
  bool changed = false;
  // Fresh analyses after each versioning: it rewrote blocks they had cached.
  for (unsigned versioned = 0; versioned < kMaxVersionedLoops; ++versioned) {
    DominatorTree dt(f);
    LoopInfo li(dt);
    AssumptionCache ac(f);
    ScalarEvolution se(f, tli, ac, dt, li);
    bool again = false;
    for (Loop *loop : li.getLoopsInPreorder())
      if (CheckVersioner(f, *loop, li, dt, se, ac).run()) {
        again = true;
        break;
      }
    if (!again)
      break;
    changed = true;
  }
  return changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}

} // namespace parawasm::compile

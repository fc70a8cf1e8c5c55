#include "compile/address_widening.h"
#include "compile/cpu_policy.h"
#include "compile/loop_versioning.h"

#include <llvm/Analysis/AssumptionCache.h>
#include <llvm/Analysis/IVDescriptors.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/Analysis/ScalarEvolutionExpressions.h>
#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/Analysis/TargetTransformInfo.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>
#include <llvm/Transforms/Utils/LoopUtils.h>
#include <llvm/Transforms/Utils/ScalarEvolutionExpander.h>

#include <optional>

namespace parawasm::compile {
namespace {

using namespace llvm;

// Loops bigger than this are left alone: versioning doubles their code, and the vectoriser
// gives up on them anyway.
constexpr unsigned kMaxLoopInstructions = 2000;

// An i64 expression congruent to the i32 expression `s` modulo 2^32. Sums, products and affine
// recurrences are rebuilt in i64, so `x + 8` becomes zext(x) + 8, adjacent to zext(x). Constants
// are sign-extended, so `x - 16` stays a small step back rather than a jump of almost 4 GiB.
// Anything else is zero-extended as a whole, which is exact.
const SCEV *widen(ScalarEvolution &se, const SCEV *s, Type *i64) {
  switch (s->getSCEVType()) {
  case scConstant:
    return se.getConstant(cast<SCEVConstant>(s)->getAPInt().sext(64));
  case scAddExpr:
  case scMulExpr: {
    SmallVector<const SCEV *, 4> ops;
    for (const SCEV *op : cast<SCEVNAryExpr>(s)->operands())
      ops.push_back(widen(se, op, i64));
    return s->getSCEVType() == scAddExpr ? se.getAddExpr(ops) : se.getMulExpr(ops);
  }
  case scAddRecExpr: {
    auto *ar = cast<SCEVAddRecExpr>(s);
    if (!ar->isAffine())
      break;
    return se.getAddRecExpr(widen(se, ar->getStart(), i64),
                            widen(se, ar->getStepRecurrence(se), i64), ar->getLoop(),
                            SCEV::FlagAnyWrap);
  }
  case scSignExtend:
    return se.getSignExtendExpr(cast<SCEVCastExpr>(s)->getOperand(), i64);
  case scTruncate:
    return se.getTruncateOrZeroExtend(cast<SCEVCastExpr>(s)->getOperand(), i64);
  default:
    break;
  }
  return se.getZeroExtendExpr(s, i64);
}

// Replaces each zext(i32 x) in an address whose x varies in `loop` by its widened form when that
// is an affine recurrence of the loop, and records the recurrences so that the guard can check
// them.
class AddressRewriter : public SCEVRewriteVisitor<AddressRewriter> {
public:
  AddressRewriter(ScalarEvolution &se, const Loop &loop,
                  SmallVectorImpl<const SCEVAddRecExpr *> &sums)
      : SCEVRewriteVisitor(se), loop_(loop), sums_(sums) {}

  const SCEV *visitZeroExtendExpr(const SCEVZeroExtendExpr *e) {
    const SCEV *op = e->getOperand();
    if (!op->getType()->isIntegerTy(32) || !e->getType()->isIntegerTy(64) ||
        SE.isLoopInvariant(op, &loop_))
      return e;
    auto *ar = dyn_cast<SCEVAddRecExpr>(widen(SE, op, e->getType()));
    if (!ar || ar->getLoop() != &loop_ || !ar->isAffine())
      return e;
    sums_.push_back(ar);
    return ar;
  }

private:
  const Loop &loop_;
  SmallVectorImpl<const SCEVAddRecExpr *> &sums_;
};

struct Rewrite {
  Instruction *access;
  Value *memoryBase;
  const SCEV *pointer;
  const SCEVAddRecExpr *offset; // from the memory base, i64
  const SCEV *low, *high;       // the bytes it touches over the loop: [low, high)
};

// Accesses whose offsets differ by a constant form a group: the vectoriser sorts out the
// dependences inside a group by itself, since their distance is known. Between groups it would
// need run-time checks, and for unrolled loops it checks the interleaved halves of one row
// against each other, which always fails. So the guard checks that streams written to do not
// overlap the streams of other groups, and scoped no-alias metadata says so.
//
// A stream is the part of a group within kStreamSpan bytes of its first access: the neighbours
// an unrolled or stencil loop touches together. Two static arrays are a group too (their
// distance is a link-time constant), and one range covering both would overlap everything
// between them, so the check would always fail: `out[i][j] = in[i-1][j] + in[i][j±1] + …`
// over two static arrays ran the scalar copy.
struct Stream {
  const SCEVAddRecExpr *offset = nullptr;
  const SCEV *low = nullptr, *high = nullptr;
  unsigned group = 0;
  bool written = false;
  MDNode *scope = nullptr;
  SmallVector<unsigned, 4> disjointFrom; // streams of other groups, by index
};

constexpr int64_t kStreamSpan = 4096;

// The least and greatest value of a guard term over the iterations of an outer loop (see
// LoopWidener::outerGuard). `checked`: both lie in [0, kRangeLimit), so that they compare the
// same signed and unsigned and sums of a few of them cannot overflow.
struct Range {
  const SCEV *lo, *hi;
  bool checked;
};

// A run-time condition of the outer guard: `value` < `limit`.
struct Limit {
  const SCEV *value;
  uint64_t limit;
};

constexpr uint64_t kRangeLimit = uint64_t(1) << 40;

// Makes `r` checked by requiring, at run time, that its extremes lie below kRangeLimit.
void requireChecked(Range &r, SmallVectorImpl<Limit> &limits) {
  if (!r.checked) {
    limits.push_back({r.lo, kRangeLimit});
    limits.push_back({r.hi, kRangeLimit});
    r.checked = true;
  }
}

class LoopWidener {
public:
  LoopWidener(Function &f, Loop &loop, LoopInfo &li, DominatorTree &dt, ScalarEvolution &se,
              bool alignLoops, bool orderedReductions)
      : f_(f), loop_(loop), li_(li), dt_(dt), se_(se), i64_(Type::getInt64Ty(f.getContext())),
        limit_(se.getConstant(i64_, uint64_t(1) << 32)), alignLoops_(alignLoops),
        orderedReductions_(orderedReductions) {}

  bool run();

private:
  bool staysScalar();
  const SCEVUnknown *memoryBase(const SCEV *pointer);
  bool addWrapGuards(const SCEVAddRecExpr &sum, SmallVectorImpl<const SCEV *> &guards);
  const Rewrite *alignmentTarget(ArrayRef<Rewrite> rewrites);
  std::optional<Range> rangeOver(const Loop &outer, const SCEV *trips, const SCEV *s,
                                 SmallVectorImpl<Limit> &limits);
  Value *outerGuard(Value *ctx);
  void version(Value *ctx, const Rewrite *alignTo);
  void startAfterPrologue();
  void formStreams(ArrayRef<Rewrite> rewrites);
  void annotate(ArrayRef<Rewrite> rewrites);

  Function &f_;
  Loop &loop_;
  LoopInfo &li_;
  DominatorTree &dt_;
  ScalarEvolution &se_;
  Type *i64_;
  const SCEV *limit_;   // 2^32: every wrap-guarded i64 value must stay below it
  const SCEV *tripMax_; // the most times the back edge is taken, i64
  SmallVector<const SCEV *, 16> wrapGuards_;         // each must be below 2^32
  SmallVector<const SCEV *, 16> boundGuards_;        // each must be at most the memory size
  SmallVector<const SCEVPredicate *, 4> predicates_; // assumptions of the trip count
  SmallVector<Stream, 8> streams_;
  SmallVector<unsigned, 16> streamOf_; // per rewrite
  bool alignLoops_;
  bool orderedReductions_; // the target vectorises a floating-point sum kept in order
  // The scalar copy (the original loop) and, when it doubles as an alignment prologue, the
  // number of iterations it runs before the widened loop takes over, and where it leaves.
  ValueToValueMapTy scalarCopy_;
  Instruction *peelCount_ = nullptr;
  BasicBlock *peelNext_ = nullptr, *peelDone_ = nullptr, *check_ = nullptr;
};

// Loops with more streams than this get no no-alias checks (their number grows quadratically).
constexpr unsigned kMaxStreams = 8;

// The translator's load of the memory base when `pointer` is an address in linear memory.
const SCEVUnknown *LoopWidener::memoryBase(const SCEV *pointer) {
  auto *base = dyn_cast<SCEVUnknown>(se_.getPointerBase(pointer));
  if (!base)
    return nullptr;
  auto *load = dyn_cast<LoadInst>(base->getValue());
  return load && load->getMetadata(kMemoryBaseMetadata) ? base : nullptr;
}

// The sum {a,+,b} takes the values a + b*k for k = 0 .. tripMax, in i64 without overflow when
// |b| < 2^31 and tripMax < 2^32 (checked here or in the guard). It is monotonic in k, so when
// its first and last values lie in [0, 2^32) every value does, and each equals the original
// zext(i32 sum) exactly: the i64 value is congruent to it and in range.
bool LoopWidener::addWrapGuards(const SCEVAddRecExpr &sum, SmallVectorImpl<const SCEV *> &guards) {
  const SCEV *step = sum.getStepRecurrence(se_);
  if (auto *c = dyn_cast<SCEVConstant>(step)) {
    int64_t v = c->getAPInt().getSExtValue();
    if (v <= -(int64_t(1) << 31) || v >= (int64_t(1) << 31))
      return false;
  } else {
    guards.push_back(se_.getAddExpr(step, se_.getConstant(i64_, uint64_t(1) << 31)));
  }
  guards.push_back(sum.getStart());
  guards.push_back(sum.evaluateAtIteration(tripMax_, se_));
  return true;
}

// Widening pays only in vector code. A loop that carries a floating-point sum or product (or
// induction) which the vectoriser would have to reassociate stays scalar whatever its addresses
// look like: Wasm arithmetic is never reassociated, and only targets with ordered reductions
// (not x86) vectorise such a sum in order. There the guard would only cost: sparse's 9-entry
// row dot product spent a third of its instructions in it and kept fewer rows' gathers in
// flight (the kernel ran 25 % faster without it).
bool LoopWidener::staysScalar() {
  for (PHINode &phi : loop_.getHeader()->phis()) {
    if (!phi.getType()->isFloatingPointTy())
      continue;
    RecurrenceDescriptor reduction;
    if (!orderedReductions_ &&
        RecurrenceDescriptor::isReductionPHI(&phi, &loop_, reduction, nullptr, nullptr, &dt_,
                                             &se_) &&
        reduction.getExactFPMathInst())
      return true;
    InductionDescriptor induction;
    if (InductionDescriptor::isFPInductionPHI(&phi, &loop_, &se_, induction) &&
        induction.getExactFPMathInst())
      return true;
  }
  return false;
}

bool LoopWidener::run() {
  if (!loop_.isInnermost() || !loop_.isLoopSimplifyForm() || !loop_.hasDedicatedExits())
    return false;
  if (staysScalar())
    return false;
  unsigned size = 0;
  for (BasicBlock *bb : loop_.blocks())
    size += bb->size();
  if (size > kMaxLoopInstructions)
    return false;
  // Where the trip count needs assumptions (say, that a counter stepping by 2 does not wrap),
  // they join the guard.
  const SCEV *trips = se_.getSymbolicMaxBackedgeTakenCount(&loop_);
  if (isa<SCEVCouldNotCompute>(trips))
    trips = se_.getPredicatedSymbolicMaxBackedgeTakenCount(&loop_, predicates_);
  if (isa<SCEVCouldNotCompute>(trips) || trips->getType()->getIntegerBitWidth() > 64)
    return false;
  tripMax_ = se_.getNoopOrZeroExtend(trips, i64_);

  SmallVector<Rewrite, 16> rewrites;
  SmallVector<const SCEVAddRecExpr *, 4> sums;
  Value *ctx = nullptr;
  const DataLayout &dl = f_.getDataLayout();
  for (BasicBlock *bb : loop_.blocks())
    for (Instruction &inst : *bb) {
      Value *pointer = getLoadStorePointerOperand(&inst);
      if (!pointer)
        continue;
      const SCEV *original = se_.getSCEV(pointer);
      const SCEVUnknown *base = memoryBase(original);
      if (!base)
        continue;
      sums.clear();
      AddressRewriter rewriter(se_, loop_, sums);
      const SCEV *widened = rewriter.visit(original);
      if (widened == original)
        continue;
      size_t wrapCount = wrapGuards_.size();
      bool ok = true;
      for (const SCEVAddRecExpr *sum : sums)
        ok = ok && addWrapGuards(*sum, wrapGuards_);
      // The guarded copy must not trap either: the vectoriser turns its accesses into wide ones,
      // which would fault before the elements in bounds are written, and the spec keeps every
      // store made before a trap. So the copy runs only when all its accesses are in bounds;
      // the memory never shrinks, so a range checked once stays valid.
      auto *offset = dyn_cast<SCEVAddRecExpr>(se_.getMinusSCEV(widened, base));
      if (!ok || !offset || offset->getLoop() != &loop_ || !offset->isAffine()) {
        wrapGuards_.resize(wrapCount);
        continue;
      }
      const SCEV *bytes = se_.getConstant(i64_, dl.getTypeStoreSize(getLoadStoreType(&inst)));
      const SCEV *first = offset->getStart();
      const SCEV *last = offset->evaluateAtIteration(tripMax_, se_);
      boundGuards_.push_back(se_.getAddExpr(first, bytes));
      boundGuards_.push_back(se_.getAddExpr(last, bytes));
      ctx = cast<LoadInst>(base->getValue())->getPointerOperand()->stripInBoundsConstantOffsets();
      rewrites.push_back({&inst, base->getValue(), widened, offset, se_.getUMinExpr(first, last),
                          se_.getAddExpr(se_.getUMaxExpr(first, last), bytes)});
    }
  if (rewrites.empty())
    return false;
  if (trips->getType()->getIntegerBitWidth() > 32)
    wrapGuards_.push_back(tripMax_);
  formStreams(rewrites);
  version(ctx, alignLoops_ ? alignmentTarget(rewrites) : nullptr);
  annotate(rewrites);

  SCEVExpander expander(se_, dl, "pw.wide");
  for (const Rewrite &r : rewrites) {
    Value *pointer = getLoadStorePointerOperand(r.access);
    Value *widened = expander.expandCodeFor(r.pointer, pointer->getType(), r.access);
    // base + offset never wraps the 64-bit address space (the base is a user-space address, the
    // offsets stay within a few GiB of it). Saying so lets the vectoriser's dependence analysis
    // use the strides of interleaved accesses instead of a run-time check that always fails.
    for (auto *gep = dyn_cast<GetElementPtrInst>(widened); gep;
         gep = dyn_cast<GetElementPtrInst>(gep->getPointerOperand()))
      gep->setNoWrapFlags(gep->getNoWrapFlags() | GEPNoWrapFlags::noUnsignedSignedWrap());
    if (auto *load = dyn_cast<LoadInst>(r.access))
      load->setOperand(load->getPointerOperandIndex(), widened);
    else
      cast<StoreInst>(r.access)->setOperand(StoreInst::getPointerOperandIndex(), widened);
  }
  if (peelCount_)
    startAfterPrologue();
  return true;
}

// Wasm data is 16-byte aligned at best (wasm-ld and wasi-libc's malloc give no more), so a
// vectorised loop's 32- and 64-byte accesses straddle cache lines, which costs a third of
// dgemm's time on AVX-512 machines. Native compilers align their arrays; here the loop is
// aligned instead: a scalar prologue runs the first iterations until the access chosen below
// reaches a 64-byte boundary. Which access: the first store (a straddling store costs most),
// else the first load, stepping forwards by a power of two under 64 bytes. Only loops the
// vectoriser can take (no calls, one exit at the latch, not known to be short) are peeled.
constexpr int64_t kVectorAlignment = 64;

const Rewrite *LoopWidener::alignmentTarget(ArrayRef<Rewrite> rewrites) {
  if (loop_.getExitingBlock() != loop_.getLoopLatch())
    return nullptr;
  unsigned trips = se_.getSmallConstantTripCount(&loop_);
  if (trips != 0 && trips < 4 * kVectorAlignment / 8)
    return nullptr;
  for (BasicBlock *bb : loop_.blocks())
    for (Instruction &inst : *bb)
      if (isa<CallBase>(inst) && !isa<IntrinsicInst>(inst))
        return nullptr;
  const Rewrite *target = nullptr;
  for (const Rewrite &r : rewrites) {
    auto *step = dyn_cast<SCEVConstant>(r.offset->getStepRecurrence(se_));
    if (!step || !step->getAPInt().isPowerOf2() || step->getAPInt().uge(kVectorAlignment))
      continue;
    auto *base = dyn_cast<Instruction>(r.memoryBase);
    if (base && !dt_.dominates(base, loop_.getLoopPreheader()->getTerminator()))
      continue;
    if (!target || (isa<StoreInst>(r.access) && !isa<StoreInst>(target->access)))
      target = &r;
  }
  return target;
}

// The range of `s` over the iterations k = 0 .. `trips` of `outer`, when `s` is built from
// values invariant in `outer` and affine recurrences of it by sums, constant multiples, umin and
// umax: each recurrence is monotonic in k, so its extremes are its first and last values, and
// the extremes of a sum or umin/umax follow from those of its operands. The conditions that keep
// this exact (no value leaves [0, 2^40), no step reaches 2^31) join `limits`; what they do not
// cover they cannot make true, since then the guard fails and the inner guard decides.
std::optional<Range> LoopWidener::rangeOver(const Loop &outer, const SCEV *trips, const SCEV *s,
                                            SmallVectorImpl<Limit> &limits) {
  if (!s->getType()->isIntegerTy(64))
    return std::nullopt;
  auto check = [&](Range &r) { requireChecked(r, limits); };
  if (auto *c = dyn_cast<SCEVConstant>(s)) {
    const APInt &v = c->getAPInt();
    if (v.abs().uge(kRangeLimit))
      return std::nullopt;
    return Range{s, s, !v.isNegative()};
  }
  if (se_.isLoopInvariant(s, &outer)) {
    Range r{s, s, false};
    check(r);
    return r;
  }
  switch (s->getSCEVType()) {
  case scAddRecExpr: {
    auto *ar = cast<SCEVAddRecExpr>(s);
    if (ar->getLoop() != &outer || !ar->isAffine())
      return std::nullopt;
    const SCEV *step = ar->getStepRecurrence(se_);
    if (auto *c = dyn_cast<SCEVConstant>(step)) {
      if (c->getAPInt().abs().uge(uint64_t(1) << 31))
        return std::nullopt;
    } else {
      limits.push_back(
          {se_.getAddExpr(step, se_.getConstant(i64_, uint64_t(1) << 31)), uint64_t(1) << 32});
    }
    // With the first value below 2^40, |step| below 2^31 and `trips` below 2^31 (outerGuard),
    // the last value is exact in i64, and so is every value between.
    Range r{ar->getStart(), ar->evaluateAtIteration(trips, se_), false};
    check(r);
    return Range{se_.getUMinExpr(r.lo, r.hi), se_.getUMaxExpr(r.lo, r.hi), true};
  }
  case scAddExpr: {
    // Each operand's extremes are below 2^56 in magnitude (constant multiples below 2^16 of
    // values below 2^40): a sum of up to 64 stays exact.
    if (cast<SCEVAddExpr>(s)->getNumOperands() > 64)
      return std::nullopt;
    SmallVector<const SCEV *, 4> los, his;
    for (const SCEV *op : cast<SCEVAddExpr>(s)->operands()) {
      std::optional<Range> r = rangeOver(outer, trips, op, limits);
      if (!r)
        return std::nullopt;
      los.push_back(r->lo);
      his.push_back(r->hi);
    }
    Range r{se_.getAddExpr(los), se_.getAddExpr(his), false};
    check(r);
    return r;
  }
  case scMulExpr: {
    auto *mul = cast<SCEVMulExpr>(s);
    auto *c = dyn_cast<SCEVConstant>(mul->getOperand(0));
    if (mul->getNumOperands() != 2 || !c || c->getAPInt().abs().uge(uint64_t(1) << 16))
      return std::nullopt;
    std::optional<Range> r = rangeOver(outer, trips, mul->getOperand(1), limits);
    if (!r)
      return std::nullopt;
    check(*r);
    const SCEV *lo = se_.getMulExpr(c, r->lo), *hi = se_.getMulExpr(c, r->hi);
    if (c->getAPInt().isNegative())
      std::swap(lo, hi);
    // Exact (|c| < 2^16 times a value below 2^40), but it may reach 2^56: not `checked`, so that
    // whatever uses it as an operand of umin/umax, of another product or of the guard checks it.
    return Range{lo, hi, false};
  }
  case scUMinExpr:
  case scUMaxExpr: {
    SmallVector<const SCEV *, 4> los, his;
    for (const SCEV *op : cast<SCEVMinMaxExpr>(s)->operands()) {
      std::optional<Range> r = rangeOver(outer, trips, op, limits);
      if (!r)
        return std::nullopt;
      check(*r);
      los.push_back(r->lo);
      his.push_back(r->hi);
    }
    if (s->getSCEVType() == scUMinExpr)
      return Range{se_.getUMinExpr(los), se_.getUMinExpr(his), true};
    return Range{se_.getUMaxExpr(los), se_.getUMaxExpr(his), true};
  }
  default:
    return std::nullopt;
  }
}

// The guard runs each time the loop is entered: inside a loop nest, once per iteration of the
// loop around it. For dgemm's row update `c[i][j] += a[i][k] * b[k][j]` (384 values, 24 vector
// rounds) that was some 60 instructions per k, a quarter of those the vector loop executes. When
// every term of the guard ranges over the outer loop's iterations as rangeOver works out, the
// same conditions on the terms' extremes imply the guard for every iteration of the outer loop;
// they are checked once, in its preheader (the memory never shrinks, so its size there is a
// lower bound). Where they fail (rows that overlap for some k only, say), the guard runs as
// before. Null where the terms do not allow it.
Value *LoopWidener::outerGuard(Value *ctx) {
  Loop *outer = loop_.getParentLoop();
  BasicBlock *outerPreheader = outer ? outer->getLoopPreheader() : nullptr;
  if (!outerPreheader || !predicates_.empty())
    return nullptr;
  Instruction *at = outerPreheader->getTerminator();
  if (auto *inst = dyn_cast<Instruction>(ctx); inst && !dt_.dominates(inst, at))
    return nullptr;
  const SCEV *trips = se_.getSymbolicMaxBackedgeTakenCount(outer);
  if (isa<SCEVCouldNotCompute>(trips) || trips->getType()->getIntegerBitWidth() > 64)
    return nullptr;
  trips = se_.getNoopOrZeroExtend(trips, i64_);
  SmallVector<Limit, 32> limits{{trips, uint64_t(1) << 31}};
  auto range = [&](const SCEV *s) -> std::optional<Range> {
    std::optional<Range> r = rangeOver(*outer, trips, s, limits);
    if (r)
      requireChecked(*r, limits);
    return r;
  };
  for (const SCEV *g : wrapGuards_) {
    if (se_.isKnownPredicate(ICmpInst::ICMP_ULT, g, limit_))
      continue;
    std::optional<Range> r = range(g);
    if (!r)
      return nullptr;
    limits.push_back({r->hi, uint64_t(1) << 32});
  }
  SmallVector<const SCEV *, 16> inMemory; // each at most the memory size
  for (const SCEV *g : boundGuards_) {
    std::optional<Range> r = range(g);
    if (!r)
      return nullptr;
    inMemory.push_back(r->hi);
  }
  struct Disjoint {
    const SCEV *highA, *lowB, *highB, *lowA;
  };
  SmallVector<Disjoint, 8> disjoint;
  for (unsigned i = 0; i < streams_.size(); ++i)
    for (unsigned j : streams_[i].disjointFrom)
      if (j > i) {
        std::optional<Range> highA = range(streams_[i].high), lowA = range(streams_[i].low);
        std::optional<Range> highB = range(streams_[j].high), lowB = range(streams_[j].low);
        if (!highA || !lowA || !highB || !lowB)
          return nullptr;
        disjoint.push_back({highA->hi, lowB->lo, highB->hi, lowA->lo});
      }
  SCEVExpander expander(se_, f_.getDataLayout(), "pw.outer");
  auto safe = [&](const SCEV *s) { return expander.isSafeToExpandAt(s, at); };
  for (const Limit &l : limits)
    if (!safe(l.value))
      return nullptr;
  for (const SCEV *s : inMemory)
    if (!safe(s))
      return nullptr;
  for (const Disjoint &d : disjoint)
    if (!safe(d.highA) || !safe(d.lowB) || !safe(d.highB) || !safe(d.lowA))
      return nullptr;

  IRBuilder<> b(at);
  Value *ok = b.getTrue();
  auto expand = [&](const SCEV *s) { return expander.expandCodeFor(s, i64_, at); };
  SmallVector<std::pair<const SCEV *, uint64_t>, 32> done;
  for (const Limit &l : limits)
    if (!is_contained(done, std::make_pair(l.value, l.limit))) {
      done.push_back({l.value, l.limit});
      ok = b.CreateAnd(ok, b.CreateICmpULT(expand(l.value), b.getInt64(l.limit)));
    }
  Value *memorySize = loadMemorySizeBytes(b, ctx);
  for (const SCEV *s : inMemory)
    ok = b.CreateAnd(ok, b.CreateICmpULE(expand(s), memorySize));
  for (const Disjoint &d : disjoint)
    ok = b.CreateAnd(ok, b.CreateOr(b.CreateICmpULE(expand(d.highA), expand(d.lowB)),
                                    b.CreateICmpULE(expand(d.highB), expand(d.lowA))));
  ok->setName("pw.outer.ok");
  return ok;
}

// The widened loop takes over from the scalar copy after `peelCount_` iterations: its
// counters and addresses start that many steps on, computed rather than carried out of the
// copy, so that ScalarEvolution still knows the loop's trip count (a counter stepping by 2
// from 0 to an even bound stays a multiple of 2); its other values (sums, say) come out of the
// copy. The recurrences the widening just added are counters too.
void LoopWidener::startAfterPrologue() {
  BasicBlock *preheader = loop_.getLoopPreheader(), *latch = loop_.getLoopLatch();
  SmallVector<std::pair<PHINode *, const SCEVAddRecExpr *>, 8> phis;
  for (PHINode &phi : loop_.getHeader()->phis()) {
    auto *sum = dyn_cast<SCEVAddRecExpr>(se_.getSCEV(&phi));
    if (!phi.getType()->isIntOrPtrTy() || !sum || sum->getLoop() != &loop_ || !sum->isAffine())
      sum = nullptr;
    if (!sum && !scalarCopy_.lookup(&phi)) {
      // Nothing to carry it from: no prologue (the copy then runs only when the guard fails).
      peelCount_->replaceAllUsesWith(ConstantInt::get(i64_, 0));
      return;
    }
    phis.push_back({&phi, sum});
  }
  SCEVExpander expander(se_, f_.getDataLayout(), "pw.align");
  const SCEV *peeled = se_.getSCEV(peelCount_);
  SmallVector<Value *, 8> starts;
  for (auto [phi, sum] : phis) {
    if (!sum) {
      starts.push_back(nullptr);
      continue;
    }
    Type *stepType = phi->getType()->isPointerTy() ? i64_ : phi->getType();
    const SCEV *steps = se_.getTruncateOrZeroExtend(peeled, stepType);
    starts.push_back(expander.expandCodeFor(sum->evaluateAtIteration(steps, se_), phi->getType(),
                                            preheader->getTerminator()));
  }
  for (unsigned i = 0; i < phis.size(); ++i) {
    PHINode *phi = phis[i].first;
    int fromPreheader = phi->getBasicBlockIndex(preheader);
    if (Value *start = starts[i]) { // equals the old start when nothing is peeled
      phi->setIncomingValue(fromPreheader, start);
      continue;
    }
    Value *carried = phi->getIncomingValueForBlock(latch);
    if (Value *copy = scalarCopy_.lookup(carried))
      carried = copy;
    PHINode *leftOff = PHINode::Create(phi->getType(), 1, "pw.peel.lcssa", peelDone_->begin());
    leftOff->addIncoming(carried, peelNext_);
    PHINode *merged = PHINode::Create(phi->getType(), 2, "pw.align.start", preheader->begin());
    merged->addIncoming(phi->getIncomingValue(fromPreheader), check_);
    merged->addIncoming(leftOff, peelDone_);
    phi->setIncomingValue(fromPreheader, merged);
  }
}

void LoopWidener::formStreams(ArrayRef<Rewrite> rewrites) {
  unsigned groups = 0;
  for (const Rewrite &r : rewrites) {
    unsigned found = streams_.size();
    std::optional<unsigned> group;
    for (unsigned i = 0; i < streams_.size() && found == streams_.size(); ++i) {
      Stream &s = streams_[i];
      if (s.offset->getStepRecurrence(se_) != r.offset->getStepRecurrence(se_))
        continue;
      auto *distance =
          dyn_cast<SCEVConstant>(se_.getMinusSCEV(s.offset->getStart(), r.offset->getStart()));
      if (!distance)
        continue;
      group = s.group;
      if (distance->getAPInt().abs().ule(kStreamSpan))
        found = i;
    }
    if (found == streams_.size()) {
      Stream fresh;
      fresh.offset = r.offset;
      fresh.low = r.low;
      fresh.high = r.high;
      fresh.group = group ? *group : groups++;
      streams_.push_back(fresh);
    } else {
      Stream &s = streams_[found];
      s.low = se_.getUMinExpr(s.low, r.low);
      s.high = se_.getUMaxExpr(s.high, r.high);
    }
    streams_[found].written |= isa<StoreInst>(r.access);
    streamOf_.push_back(found);
  }
  if (streams_.size() > kMaxStreams)
    return;
  for (unsigned i = 0; i < streams_.size(); ++i)
    for (unsigned j = i + 1; j < streams_.size(); ++j)
      if (streams_[i].group != streams_[j].group && (streams_[i].written || streams_[j].written)) {
        streams_[i].disjointFrom.push_back(j);
        streams_[j].disjointFrom.push_back(i);
      }
}

void LoopWidener::annotate(ArrayRef<Rewrite> rewrites) {
  MDBuilder md(f_.getContext());
  MDNode *domain = md.createAnonymousAliasScopeDomain("pw.streams");
  for (Stream &s : streams_)
    s.scope = md.createAnonymousAliasScope(domain);
  for (unsigned i = 0; i < rewrites.size(); ++i) {
    const Stream &s = streams_[streamOf_[i]];
    if (s.disjointFrom.empty())
      continue;
    SmallVector<Metadata *, 8> others;
    for (unsigned j : s.disjointFrom)
      others.push_back(streams_[j].scope);
    Instruction *access = rewrites[i].access;
    access->setMetadata(LLVMContext::MD_alias_scope, MDNode::get(f_.getContext(), {s.scope}));
    access->setMetadata(LLVMContext::MD_noalias, MDNode::get(f_.getContext(), others));
  }
}

// SCEVExpander puts an expression where its operands allow: out of the loops it is invariant
// in, at the header of a loop it varies with. The guard's terms would then be computed at every
// iteration of the outer loop even where the outer guard skips the guard, so those only the
// guard uses move into its block.
void sinkInto(BasicBlock *guard, ArrayRef<Instruction *> inserted) {
  for (bool moved = true; moved;) {
    moved = false;
    for (Instruction *inst : inserted) {
      if (inst->getParent() == guard || isa<PHINode>(inst) || inst->mayHaveSideEffects() ||
          inst->mayReadFromMemory() || inst->user_empty())
        continue;
      Instruction *first = nullptr;
      for (User *u : inst->users()) {
        auto *user = dyn_cast<Instruction>(u);
        if (!user || user->getParent() != guard || isa<PHINode>(user)) {
          first = nullptr;
          break;
        }
        if (!first || user->comesBefore(first))
          first = user;
      }
      if (first) {
        inst->moveBefore(first);
        moved = true;
      }
    }
  }
}

// Splits off a check block in front of the loop: when every guard holds the loop runs (and is
// then rewritten); otherwise an untouched copy of it does. With `alignTo`, that copy also runs
// the first iterations when the guard holds, until `alignTo`'s address is 64-byte aligned.
void LoopWidener::version(Value *ctx, const Rewrite *alignTo) {
  Value *outerOk = outerGuard(ctx);
  formLCSSA(loop_, dt_, &li_, &se_);
  BasicBlock *header = loop_.getHeader(), *latch = loop_.getLoopLatch();
  BasicBlock *check = loop_.getLoopPreheader();
  BasicBlock *preheader =
      SplitBlock(check, check->getTerminator(), &dt_, &li_, nullptr, "pw.wide.ph");
  // With an outer guard: check -> (outer guard holds) decide, else -> guard -> decide.
  BasicBlock *guard = check;
  if (outerOk)
    guard = SplitBlock(check, check->getTerminator(), &dt_, &li_, nullptr, "pw.guard");

  SCEVExpander guardExpander(se_, f_.getDataLayout(), "pw.guard");
  Instruction *at = guard->getTerminator();
  IRBuilder<> b(at);
  Value *ok = b.getTrue();
  auto require = [&](Value *cond) { ok = b.CreateAnd(ok, cond); };
  Constant *limit = ConstantInt::get(i64_, uint64_t(1) << 32);
  SmallVector<const SCEV *, 16> done;
  for (const SCEV *g : wrapGuards_)
    if (!is_contained(done, g) && !se_.isKnownPredicate(ICmpInst::ICMP_ULT, g, limit_)) {
      done.push_back(g);
      require(b.CreateICmpULT(guardExpander.expandCodeFor(g, i64_, at), limit));
    }
  Value *memorySize = loadMemorySizeBytes(b, ctx);
  done.clear();
  for (const SCEV *g : boundGuards_)
    if (!is_contained(done, g)) {
      done.push_back(g);
      require(b.CreateICmpULE(guardExpander.expandCodeFor(g, i64_, at), memorySize));
    }
  for (unsigned i = 0; i < streams_.size(); ++i)
    for (unsigned j : streams_[i].disjointFrom)
      if (j > i) {
        Value *below = b.CreateICmpULE(guardExpander.expandCodeFor(streams_[i].high, i64_, at),
                                       guardExpander.expandCodeFor(streams_[j].low, i64_, at));
        Value *above = b.CreateICmpULE(guardExpander.expandCodeFor(streams_[j].high, i64_, at),
                                       guardExpander.expandCodeFor(streams_[i].low, i64_, at));
        require(b.CreateOr(below, above, "pw.disjoint"));
      }
  // expandCodeForPredicate yields true where the predicate fails.
  for (const SCEVPredicate *p : predicates_)
    require(b.CreateNot(guardExpander.expandCodeForPredicate(p, at)));
  check_ = guard;
  if (outerOk) {
    BasicBlock *decide = SplitBlock(guard, at, &dt_, &li_, nullptr, "pw.guard.done");
    PHINode *merged = PHINode::Create(b.getInt1Ty(), 2, "pw.guard.ok", decide->begin());
    merged->addIncoming(ok, guard);
    merged->addIncoming(b.getTrue(), check);
    check->getTerminator()->eraseFromParent();
    BranchInst::Create(decide, guard, outerOk, check);
    dt_.recalculate(f_);
    sinkInto(guard, guardExpander.getAllInsertedInstructions());
    ok = merged;
    check_ = decide;
    b.SetInsertPoint(at);
  }
  SCEVExpander expander(se_, f_.getDataLayout(), "pw.align");

  ValueToValueMapTy &vmap = scalarCopy_;
  Loop *fallback = copyLoop(loop_, preheader, check_, ".pw.wrap", li_, dt_, vmap);
  if (!alignTo) {
    BranchInst::Create(preheader, fallback->getLoopPreheader(), ok, at);
  } else {
    // The copy doubles as the alignment prologue: when the guard holds it leaves after `peel`
    // iterations (none: straight to the widened loop), when it fails it runs to the end.
    Value *offset = expander.expandCodeFor(alignTo->offset->getStart(), i64_, at);
    Value *address = b.CreateAdd(b.CreatePtrToInt(alignTo->memoryBase, i64_), offset);
    Value *misaligned = b.CreateAnd(b.CreateNeg(address), kVectorAlignment - 1);
    uint64_t step =
        cast<SCEVConstant>(alignTo->offset->getStepRecurrence(se_))->getAPInt().getZExtValue();
    // Short runs are not worth it: a loop of a few vector rounds would spend them scalar.
    Value *longEnough = b.CreateICmpUGE(expander.expandCodeFor(tripMax_, i64_, at),
                                        b.getInt64(4 * kVectorAlignment / step));
    Value *peel = b.CreateSelect(longEnough, b.CreateLShr(misaligned, Log2_64(step)), b.getInt64(0),
                                 "pw.peel.count");
    peelCount_ = cast<Instruction>(peel);
    Value *limit = b.CreateSelect(ok, peel, b.getInt64(~uint64_t(0)), "pw.peel.limit");
    BranchInst::Create(preheader, fallback->getLoopPreheader(),
                       b.CreateAnd(ok, b.CreateICmpEQ(peel, b.getInt64(0))), at);
    auto *copyHeader = cast<BasicBlock>(vmap[header]);
    auto *copyLatch = cast<BasicBlock>(vmap[latch]);
    copyLatch->getTerminator()->setMetadata(LLVMContext::MD_loop, nullptr);
    peelNext_ = SplitEdge(copyLatch, copyHeader, nullptr, &li_);
    peelNext_->setName("pw.peel.next");
    PHINode *count = PHINode::Create(i64_, 2, "pw.peel.i", copyHeader->getFirstNonPHI());
    peelDone_ = BasicBlock::Create(f_.getContext(), "pw.peel.done", &f_, preheader);
    if (Loop *parent = loop_.getParentLoop())
      parent->addBasicBlockToLoop(peelDone_, li_);
    peelNext_->getTerminator()->eraseFromParent();
    IRBuilder<> nb(peelNext_);
    Value *countNext = nb.CreateAdd(count, nb.getInt64(1));
    nb.CreateCondBr(nb.CreateICmpEQ(countNext, limit), peelDone_, copyHeader);
    count->addIncoming(nb.getInt64(0), fallback->getLoopPreheader());
    count->addIncoming(countNext, peelNext_);
    BranchInst::Create(preheader, peelDone_);
  }
  at->eraseFromParent();
  dt_.recalculate(f_);
  // The copy runs when an address wraps or an access traps: it must keep the exact order of
  // accesses, so it is neither vectorised nor unrolled (nor worth it as a prologue).
  addStringMetadataToLoop(fallback, "llvm.loop.vectorize.width", 1);
  addStringMetadataToLoop(fallback, "llvm.loop.interleave.count", 1);
  // With an operand, LLVM reads the operand: 0 would mean "not disabled".
  addStringMetadataToLoop(fallback, "llvm.loop.unroll.disable", 1);
}

} // namespace

PreservedAnalyses AddressWideningPass::run(Function &f, FunctionAnalysisManager &fam) {
  auto &li = fam.getResult<LoopAnalysis>(f);
  auto &dt = fam.getResult<DominatorTreeAnalysis>(f);
  auto &tli = fam.getResult<TargetLibraryAnalysis>(f);
  auto &ac = fam.getResult<AssumptionAnalysis>(f);
  bool orderedReductions = fam.getResult<TargetIRAnalysis>(f).enableOrderedReductions();
  SmallVector<Loop *, 8> innermost;
  for (Loop *loop : li.getLoopsInPreorder())
    if (loop->isInnermost())
      innermost.push_back(loop);
  bool changed = false;
  for (Loop *loop : innermost) {
    // A fresh ScalarEvolution per loop: versioning an earlier loop rewrote blocks it had cached.
    ScalarEvolution se(f, tli, ac, dt, li);
    changed |= LoopWidener(f, *loop, li, dt, se, alignLoops_, orderedReductions).run();
  }
  return changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}

} // namespace parawasm::compile

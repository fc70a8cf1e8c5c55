#include "compile/canonical_nan.h"
#include "compile/ir_marker.h"

#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/DenseSet.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/Module.h>

#include <string>
#include <vector>

namespace parawasm::compile {

namespace {

constexpr llvm::StringLiteral kMarkerPrefix = "pw.canonical_nan.";

std::string typeSuffix(llvm::Type *ty) {
  std::string suffix;
  if (auto *vec = llvm::dyn_cast<llvm::FixedVectorType>(ty)) {
    suffix = "v" + std::to_string(vec->getNumElements());
    ty = vec->getElementType();
  }
  return suffix + (ty->isDoubleTy() ? "f64" : "f32");
}

llvm::CallInst *asMarker(llvm::Value *v) { return asMarkerCall(v, kMarkerPrefix); }

bool allUsersAreMarkers(llvm::Value *v) {
  for (llvm::User *u : v->users())
    if (!asMarker(u))
      return false;
  return true;
}

// Whether `user` gives the same result for every NaN in the operand it takes from a marked
// value: comparisons and conversions to integers do; arithmetic does when its own result is
// marked (its NaN is then canonicalised wherever it is seen).
bool absorbsNaN(llvm::Instruction &user) {
  if (llvm::isa<llvm::FCmpInst, llvm::FPToSIInst, llvm::FPToUIInst>(user))
    return true;
  if (auto *intrinsic = llvm::dyn_cast<llvm::IntrinsicInst>(&user)) {
    switch (intrinsic->getIntrinsicID()) {
    case llvm::Intrinsic::fptosi_sat:
    case llvm::Intrinsic::fptoui_sat:
      return true;
    case llvm::Intrinsic::sqrt:
    case llvm::Intrinsic::floor:
    case llvm::Intrinsic::ceil:
    case llvm::Intrinsic::trunc:
    case llvm::Intrinsic::rint:
    case llvm::Intrinsic::nearbyint:
    case llvm::Intrinsic::roundeven:
    case llvm::Intrinsic::round:
    case llvm::Intrinsic::minimum:
    case llvm::Intrinsic::maximum:
    case llvm::Intrinsic::minnum:
    case llvm::Intrinsic::maxnum:
    case llvm::Intrinsic::fma:
    case llvm::Intrinsic::fmuladd:
      return allUsersAreMarkers(&user);
    default:
      return false;
    }
  }
  switch (user.getOpcode()) {
  case llvm::Instruction::FAdd:
  case llvm::Instruction::FSub:
  case llvm::Instruction::FMul:
  case llvm::Instruction::FDiv:
  case llvm::Instruction::FRem:
  case llvm::Instruction::FPTrunc:
  case llvm::Instruction::FPExt:
    return allUsersAreMarkers(&user);
  default:
    return false;
  }
}

// A constant a merge may take without canonicalisation at its uses changing it: not a NaN, or
// already the canonical one (undef may be anything, that included).
bool unchangedByCanonicalising(llvm::Value *v) {
  auto *c = llvm::dyn_cast<llvm::Constant>(v);
  if (!c)
    return false;
  if (llvm::isa<llvm::UndefValue>(c))
    return true;
  if (auto *fp = llvm::dyn_cast<llvm::ConstantFP>(c)) {
    const llvm::APFloat &f = fp->getValueAPF();
    return !f.isNaN() ||
           f.bitcastToAPInt() == llvm::APFloat::getQNaN(f.getSemantics()).bitcastToAPInt();
  }
  auto *vec = llvm::dyn_cast<llvm::FixedVectorType>(c->getType());
  if (!vec)
    return false;
  for (unsigned i = 0; i < vec->getNumElements(); ++i) {
    llvm::Constant *lane = c->getAggregateElement(i);
    if (!lane || !unchangedByCanonicalising(lane))
      return false;
  }
  return true;
}

// A phi or select taking `v` as one of the values it merges.
bool merges(llvm::User &user, llvm::Value *v) {
  if (llvm::isa<llvm::PHINode>(user))
    return true;
  auto *select = llvm::dyn_cast<llvm::SelectInst>(&user);
  return select && select->getCondition() != v;
}

// Marked values and the merges they reach, in groups that stand or fall together.
class Webs {
public:
  explicit Webs(const std::vector<llvm::CallInst *> &markers) {
    std::vector<llvm::Value *> work(markers.begin(), markers.end());
    for (llvm::Value *v : work)
      members_.insert(v);
    while (!work.empty()) {
      llvm::Value *v = work.back();
      work.pop_back();
      for (llvm::User *u : v->users())
        if (merges(*u, v) || asMarker(u)) {
          if (members_.insert(u).second)
            work.push_back(u);
          join(v, u);
        }
    }
    // A merge also taking a value that is neither in its web nor left alone by canonicalising
    // (a load, a parameter) spoils the web: that value's NaN must pass unchanged.
    for (llvm::Value *v : members_) {
      auto *merge = llvm::dyn_cast<llvm::Instruction>(v);
      if (!merge || asMarker(merge))
        continue;
      for (llvm::Use &op : merge->operands()) {
        if (llvm::isa<llvm::SelectInst>(merge) && op.getOperandNo() == 0)
          continue;
        if (members_.contains(op.get()))
          join(v, op.get());
        else if (!unchangedByCanonicalising(op.get()))
          spoiled_.insert(v);
      }
    }
    llvm::DenseSet<llvm::Value *> spoiledRoots;
    for (llvm::Value *v : spoiled_)
      spoiledRoots.insert(root(v));
    spoiled_ = std::move(spoiledRoots);
  }

  const llvm::DenseSet<llvm::Value *> &members() const { return members_; }
  bool contains(llvm::Value *v) const { return members_.contains(v); }
  bool spoiled(llvm::Value *v) { return spoiled_.contains(root(v)); }

private:
  llvm::Value *root(llvm::Value *v) {
    auto it = parent_.find(v);
    if (it == parent_.end() || it->second == v)
      return v;
    llvm::Value *r = root(it->second);
    parent_[v] = r;
    return r;
  }
  void join(llvm::Value *a, llvm::Value *b) {
    llvm::Value *ra = root(a), *rb = root(b);
    if (ra != rb)
      parent_[ra] = rb;
  }

  llvm::DenseSet<llvm::Value *> members_;
  llvm::DenseMap<llvm::Value *, llvm::Value *> parent_;
  llvm::DenseSet<llvm::Value *> spoiled_;
};

} // namespace

llvm::Value *canonicalNaN(llvm::IRBuilderBase &b, llvm::Value *v) {
  llvm::APFloat nan = llvm::APFloat::getQNaN(v->getType()->getScalarType()->getFltSemantics());
  return b.CreateSelect(b.CreateFCmpUNO(v, v), llvm::ConstantFP::get(v->getType(), nan), v);
}

llvm::Value *markCanonicalNaN(llvm::IRBuilderBase &b, llvm::Value *v) {
  return callMarker(b, kMarkerPrefix.str() + typeSuffix(v->getType()), v->getType(), {v});
}

void placeCanonicalNaNs(llvm::Module &m) {
  std::vector<llvm::CallInst *> markers;
  for (llvm::Function &f : m)
    for (llvm::Instruction &i : llvm::instructions(f))
      if (llvm::CallInst *marker = asMarker(&i))
        markers.push_back(marker);
  if (markers.empty())
    return;
  Webs webs(markers);
  // Canonicalise right before each use that can see a NaN's bits.
  for (llvm::Value *v : webs.members()) {
    if (webs.spoiled(v))
      continue;
    std::vector<llvm::Use *> seen;
    for (llvm::Use &use : v->uses()) {
      auto *user = llvm::cast<llvm::Instruction>(use.getUser());
      if (!webs.contains(user) && !absorbsNaN(*user))
        seen.push_back(&use);
    }
    for (llvm::Use *use : seen) {
      auto *user = llvm::cast<llvm::Instruction>(use->getUser());
      llvm::IRBuilder<> b(user);
      if (auto *phi = llvm::dyn_cast<llvm::PHINode>(user))
        b.SetInsertPoint(phi->getIncomingBlock(*use)->getTerminator());
      use->set(canonicalNaN(b, v));
    }
  }
  for (llvm::CallInst *marker : markers) {
    llvm::Value *v = marker->getArgOperand(0);
    if (webs.spoiled(marker)) {
      llvm::IRBuilder<> b(marker);
      v = canonicalNaN(b, v);
    }
    marker->replaceAllUsesWith(v);
    marker->eraseFromParent();
  }
  for (llvm::Function &f : llvm::make_early_inc_range(m))
    if (f.getName().starts_with(kMarkerPrefix) && f.use_empty())
      f.eraseFromParent();
}

} // namespace parawasm::compile

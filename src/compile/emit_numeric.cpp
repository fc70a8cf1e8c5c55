// Scalar numeric operators: constants, integer and floating-point arithmetic, comparisons and
// conversions. The same IR feeds the x86-64 JIT and NVPTX, so only generic IR and intrinsics are
// used, and nothing may rely on what LLVM leaves undefined (division overflow, oversized shift
// counts, out-of-range float-to-int conversion) where Wasm defines a result or a trap.
#include "compile/nan_rule.h"
#include "compile/translator.h"

#include <llvm/ADT/APFloat.h>
#include <llvm/ADT/APInt.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/Instructions.h>

#include <optional>
#include <string>
#include <utility>

namespace parawasm::compile {
namespace {

using Op = wabt::Opcode;
using llvm::Value;

class NumericEmitter {
public:
  explicit NumericEmitter(FunctionTranslator &t) : t(t), b(t.b) {}

  void constant(const wabt::Const &c);
  // False when `op` is not a scalar numeric operator.
  bool emit(Op op);

private:
  template <typename F> void unary(F f) {
    Value *v = t.pop();
    t.push(f(v));
  }
  template <typename F> void binary(F f) {
    Value *r = t.pop();
    Value *l = t.pop();
    t.push(f(l, r));
  }

  void trapIf(Value *cond, TrapCode code);

  Value *intConst(llvm::Type *ty, uint64_t v) { return llvm::ConstantInt::get(ty, v); }
  Value *divRem(Value *l, Value *r, bool isSigned, bool isRem);
  Value *shiftCount(Value *r);
  Value *signExtendFrom(Value *v, unsigned bits);

  llvm::Type *bitsType(llvm::Type *fpTy) {
    return b.getIntNTy(fpTy->getPrimitiveSizeInBits().getFixedValue());
  }
  llvm::APInt signMask(llvm::Type *fpTy) {
    return llvm::APInt::getSignMask(fpTy->getPrimitiveSizeInBits().getFixedValue());
  }
  Value *fabs(Value *v);
  Value *fneg(Value *v);
  Value *copysign(Value *mag, Value *sign);
  Value *quiet(Value *v);
  Value *quietIfNaN(Value *x, Value *result);
  Value *floatArith(llvm::Instruction::BinaryOps opc, Value *l, Value *r);
  Value *demote(Value *v);

  Value *truncChecked(Value *v, llvm::Type *intTy, bool isSigned);
  Value *truncSat(Value *v, llvm::Type *intTy, bool isSigned) {
    return t.callIntrinsic(isSigned ? llvm::Intrinsic::fptosi_sat : llvm::Intrinsic::fptoui_sat,
                           {intTy, v->getType()}, {v});
  }

  FunctionTranslator &t;
  llvm::IRBuilder<> &b;
};

void NumericEmitter::trapIf(Value *cond, TrapCode code) {
  // A constant divisor or an in-range constant makes the check false; skip the cold block.
  if (auto *c = llvm::dyn_cast<llvm::ConstantInt>(cond); c && c->isZero())
    return;
  t.trapIf(cond, code);
}

void NumericEmitter::constant(const wabt::Const &c) {
  llvm::LLVMContext &ctx = t.llctx;
  switch (c.type()) {
  case wabt::Type::I32:
    t.push(b.getInt32(c.u32()));
    return;
  case wabt::Type::I64:
    t.push(b.getInt64(c.u64()));
    return;
  // Floats are built from their bits so that NaN payloads and signs survive exactly.
  case wabt::Type::F32:
    t.push(llvm::ConstantFP::get(
        ctx, llvm::APFloat(llvm::APFloat::IEEEsingle(), llvm::APInt(32, c.f32_bits()))));
    return;
  case wabt::Type::F64:
    t.push(llvm::ConstantFP::get(
        ctx, llvm::APFloat(llvm::APFloat::IEEEdouble(), llvm::APInt(64, c.f64_bits()))));
    return;
  default:
    t.fail(std::string("unsupported constant type ") + c.type().GetName());
    return;
  }
}

Value *NumericEmitter::divRem(Value *l, Value *r, bool isSigned, bool isRem) {
  llvm::Type *ty = l->getType();
  unsigned bits = ty->getIntegerBitWidth();
  trapIf(b.CreateICmpEQ(r, intConst(ty, 0)), TrapCode::IntegerDivideByZero);
  if (!isSigned)
    return isRem ? b.CreateURem(l, r) : b.CreateUDiv(l, r);
  Value *minusOne = llvm::ConstantInt::getAllOnesValue(ty);
  if (isRem) {
    // INT_MIN % -1 is 0 in Wasm but undefined behaviour for LLVM's srem (the x86 instruction
    // faults). x % -1 == x % 1 == 0 for every x, so divide by 1 instead.
    Value *safe = b.CreateSelect(b.CreateICmpEQ(r, minusOne), intConst(ty, 1), r);
    return b.CreateSRem(l, safe);
  }
  Value *intMin = b.getInt(llvm::APInt::getSignedMinValue(bits));
  // Operands built one statement each: the order of a call's arguments is the host compiler's
  // choice, and the IR (and the codegen tests) must not depend on it.
  Value *divisorIsMinusOne = b.CreateICmpEQ(r, minusOne);
  Value *dividendIsMin = b.CreateICmpEQ(l, intMin);
  trapIf(b.CreateAnd(dividendIsMin, divisorIsMinusOne), TrapCode::IntegerOverflow);
  return b.CreateSDiv(l, r);
}

// Wasm takes shift counts modulo the width; LLVM makes oversized counts poison.
Value *NumericEmitter::shiftCount(Value *r) {
  llvm::Type *ty = r->getType();
  return b.CreateAnd(r, intConst(ty, ty->getIntegerBitWidth() - 1));
}

Value *NumericEmitter::signExtendFrom(Value *v, unsigned bits) {
  return b.CreateSExt(b.CreateTrunc(v, b.getIntNTy(bits)), v->getType());
}

// abs, neg and copysign are bit operations in Wasm and must keep NaN payloads untouched, so they
// are done on the integer bits rather than trusting any FP instruction with a NaN.
Value *NumericEmitter::fabs(Value *v) {
  llvm::Type *ity = bitsType(v->getType());
  Value *bits = b.CreateAnd(b.CreateBitCast(v, ity), b.getInt(~signMask(v->getType())));
  return b.CreateBitCast(bits, v->getType());
}

Value *NumericEmitter::fneg(Value *v) {
  llvm::Type *ity = bitsType(v->getType());
  Value *bits = b.CreateXor(b.CreateBitCast(v, ity), b.getInt(signMask(v->getType())));
  return b.CreateBitCast(bits, v->getType());
}

Value *NumericEmitter::copysign(Value *mag, Value *sign) {
  llvm::Type *ity = bitsType(mag->getType());
  llvm::APInt mask = signMask(mag->getType());
  Value *m = b.CreateAnd(b.CreateBitCast(mag, ity), b.getInt(~mask));
  Value *s = b.CreateAnd(b.CreateBitCast(sign, ity), b.getInt(mask));
  return b.CreateBitCast(b.CreateOr(m, s), mag->getType());
}

// Sets the quiet bit; the result is an arithmetic NaN with v's payload when v is a NaN.
Value *NumericEmitter::quiet(Value *v) {
  llvm::Type *ity = bitsType(v->getType());
  unsigned mantissaBits = llvm::APFloat::semanticsPrecision(v->getType()->getFltSemantics()) - 1;
  Value *bits =
      b.CreateOr(b.CreateBitCast(v, ity),
                 b.getInt(llvm::APInt::getOneBitSet(ity->getIntegerBitWidth(), mantissaBits - 1)));
  return b.CreateBitCast(bits, v->getType());
}

// Wasm arithmetic must never return a signalling NaN, but LLVM treats NaN bits as unobservable
// and simplifies x*1.0, x/1.0, x+-0.0, x-0.0, -0.0-x, x*-1.0, fptrunc(fpext x) and min/max with
// some constants to plain x or -x (in IR and again in SelectionDAG), letting a signalling NaN
// through. The select keeps every other result exact; it is only emitted where such a fold can
// apply, i.e. when the constant is visible here. A constant that only appears after inlining or
// mem2reg at -O2 is not covered.
Value *NumericEmitter::quietIfNaN(Value *x, Value *result) {
  Value *quieted = quiet(x); // one statement each: see sdiv
  return b.CreateSelect(b.CreateFCmpUNO(x, x), quieted, result);
}

Value *NumericEmitter::floatArith(llvm::Instruction::BinaryOps opc, Value *l, Value *r) {
  Value *result = b.CreateBinOp(opc, l, r);
  // The identities LLVM folds without fast-math: x+-0, x-0, -0-x, x*+-1, x/+-1. Each drops the
  // quieting of a signalling NaN x, so only these get the check; x+1.0 and friends need none.
  bool additive = opc == llvm::Instruction::FAdd || opc == llvm::Instruction::FSub;
  auto foldable = [&](Value *c, bool rightOperand) {
    auto *fp = llvm::dyn_cast<llvm::ConstantFP>(c);
    if (!fp)
      return false;
    if (additive)
      return fp->isZero();
    if (opc == llvm::Instruction::FDiv && !rightOperand)
      return false;
    return fp->isExactlyValue(1.0) || fp->isExactlyValue(-1.0);
  };
  if (llvm::isa<llvm::Constant>(result))
    return result;
  if (foldable(r, true))
    return quietIfNaN(l, result);
  if (foldable(l, false))
    return quietIfNaN(r, result);
  return result;
}

Value *NumericEmitter::demote(Value *v) {
  Value *result = b.CreateFPTrunc(v, t.f32());
  // fptrunc(fpext x) folds to x; see quietIfNaN.
  if (auto *ext = llvm::dyn_cast<llvm::FPExtInst>(v); ext && ext->getSrcTy() == t.f32())
    return quietIfNaN(ext->getOperand(0), result);
  return result;
}

// Wasm traps on NaN (invalid conversion) and on values whose truncation does not fit (integer
// overflow); LLVM's fptosi/fptoui are poison there, so both are checked first.
Value *NumericEmitter::truncChecked(Value *v, llvm::Type *intTy, bool isSigned) {
  const llvm::fltSemantics &sem = v->getType()->getFltSemantics();
  unsigned bits = intTy->getIntegerBitWidth();
  trapIf(b.CreateFCmpUNO(v, v), TrapCode::InvalidConversionToInteger);

  // In range iff lo < v < hi, with lo and hi the nearest integers just outside the target range.
  // hi is a power of two and always exact. When lo is not representable (e.g. -2^31-1 in f32) no
  // float lies strictly between lo and lo+1, so the test becomes v >= lo+1.
  constexpr unsigned kWide = 128;
  llvm::APInt hiInt = llvm::APInt::getOneBitSet(kWide, isSigned ? bits - 1 : bits);
  llvm::APInt loInt =
      isSigned ? -llvm::APInt::getOneBitSet(kWide, bits - 1) - 1 : llvm::APInt::getAllOnes(kWide);
  llvm::APFloat hi(sem), lo(sem);
  hi.convertFromAPInt(hiInt, /*IsSigned=*/false, llvm::APFloat::rmNearestTiesToEven);
  llvm::APFloat::opStatus st =
      lo.convertFromAPInt(loInt, /*IsSigned=*/true, llvm::APFloat::rmNearestTiesToEven);
  Value *aboveLo;
  if (st == llvm::APFloat::opOK) {
    aboveLo = b.CreateFCmpOGT(v, llvm::ConstantFP::get(t.llctx, lo));
  } else {
    llvm::APFloat loPlusOne(sem);
    loPlusOne.convertFromAPInt(loInt + 1, /*IsSigned=*/true, llvm::APFloat::rmNearestTiesToEven);
    aboveLo = b.CreateFCmpOGE(v, llvm::ConstantFP::get(t.llctx, loPlusOne));
  }
  Value *belowHi = b.CreateFCmpOLT(v, llvm::ConstantFP::get(t.llctx, hi));
  trapIf(b.CreateNot(b.CreateAnd(aboveLo, belowHi)), TrapCode::IntegerOverflow);
  return isSigned ? b.CreateFPToSI(v, intTy) : b.CreateFPToUI(v, intTy);
}

// Operators that are one LLVM operation. Each row names the i32/f32 and the i64/f64 form.
template <typename T> struct Row {
  Op::Enum narrow, wide;
  T what;
};

template <typename T, size_t N> std::optional<T> lookup(const Row<T> (&rows)[N], Op op) {
  for (const Row<T> &r : rows)
    if (r.narrow == op || r.wide == op)
      return r.what;
  return std::nullopt;
}

using Pred = llvm::CmpInst::Predicate;
constexpr Row<Pred> kCompares[] = {
    {Op::I32Eq, Op::I64Eq, Pred::ICMP_EQ},
    {Op::I32Ne, Op::I64Ne, Pred::ICMP_NE},
    {Op::I32LtS, Op::I64LtS, Pred::ICMP_SLT},
    {Op::I32LtU, Op::I64LtU, Pred::ICMP_ULT},
    {Op::I32GtS, Op::I64GtS, Pred::ICMP_SGT},
    {Op::I32GtU, Op::I64GtU, Pred::ICMP_UGT},
    {Op::I32LeS, Op::I64LeS, Pred::ICMP_SLE},
    {Op::I32LeU, Op::I64LeU, Pred::ICMP_ULE},
    {Op::I32GeS, Op::I64GeS, Pred::ICMP_SGE},
    {Op::I32GeU, Op::I64GeU, Pred::ICMP_UGE},
    // Ordered (false on NaN) except ne, which is true on NaN.
    {Op::F32Eq, Op::F64Eq, Pred::FCMP_OEQ},
    {Op::F32Ne, Op::F64Ne, Pred::FCMP_UNE},
    {Op::F32Lt, Op::F64Lt, Pred::FCMP_OLT},
    {Op::F32Gt, Op::F64Gt, Pred::FCMP_OGT},
    {Op::F32Le, Op::F64Le, Pred::FCMP_OLE},
    {Op::F32Ge, Op::F64Ge, Pred::FCMP_OGE},
};

using BinOp = llvm::Instruction::BinaryOps;
constexpr Row<BinOp> kIntBinary[] = {
    {Op::I32Add, Op::I64Add, BinOp::Add}, {Op::I32Sub, Op::I64Sub, BinOp::Sub},
    {Op::I32Mul, Op::I64Mul, BinOp::Mul}, {Op::I32And, Op::I64And, BinOp::And},
    {Op::I32Or, Op::I64Or, BinOp::Or},    {Op::I32Xor, Op::I64Xor, BinOp::Xor},
};
constexpr Row<BinOp> kShifts[] = {
    {Op::I32Shl, Op::I64Shl, BinOp::Shl},
    {Op::I32ShrS, Op::I64ShrS, BinOp::AShr},
    {Op::I32ShrU, Op::I64ShrU, BinOp::LShr},
};
constexpr Row<BinOp> kFloatBinary[] = {
    {Op::F32Add, Op::F64Add, BinOp::FAdd},
    {Op::F32Sub, Op::F64Sub, BinOp::FSub},
    {Op::F32Mul, Op::F64Mul, BinOp::FMul},
    {Op::F32Div, Op::F64Div, BinOp::FDiv},
};

using IntrinsicId = llvm::Intrinsic::ID;
constexpr Row<IntrinsicId> kUnaryIntrinsics[] = {
    // Wasm defines clz/ctz of 0 as the width: the "zero is poison" flag is passed as false.
    {Op::I32Clz, Op::I64Clz, llvm::Intrinsic::ctlz},
    {Op::I32Ctz, Op::I64Ctz, llvm::Intrinsic::cttz},
    {Op::I32Popcnt, Op::I64Popcnt, llvm::Intrinsic::ctpop},
    {Op::F32Ceil, Op::F64Ceil, llvm::Intrinsic::ceil},
    {Op::F32Floor, Op::F64Floor, llvm::Intrinsic::floor},
    {Op::F32Trunc, Op::F64Trunc, llvm::Intrinsic::trunc},
    {Op::F32Nearest, Op::F64Nearest, llvm::Intrinsic::roundeven},
    {Op::F32Sqrt, Op::F64Sqrt, llvm::Intrinsic::sqrt},
};
constexpr Row<IntrinsicId> kBinaryIntrinsics[] = {
    // A funnel shift of a value with itself is a rotate; it takes the count modulo the width.
    {Op::I32Rotl, Op::I64Rotl, llvm::Intrinsic::fshl},
    {Op::I32Rotr, Op::I64Rotr, llvm::Intrinsic::fshr},
    {Op::F32Min, Op::F64Min, llvm::Intrinsic::minimum},
    {Op::F32Max, Op::F64Max, llvm::Intrinsic::maximum},
};

// Conversions that are one cast to the opcode's result type. sitofp/uitofp round to nearest-even
// for every width, as Wasm requires.
using CastOp = llvm::Instruction::CastOps;
constexpr std::pair<Op::Enum, CastOp> kCasts[] = {
    {Op::I32WrapI64, CastOp::Trunc},          {Op::I64ExtendI32S, CastOp::SExt},
    {Op::I64ExtendI32U, CastOp::ZExt},        {Op::F32ConvertI32S, CastOp::SIToFP},
    {Op::F32ConvertI64S, CastOp::SIToFP},     {Op::F64ConvertI32S, CastOp::SIToFP},
    {Op::F64ConvertI64S, CastOp::SIToFP},     {Op::F32ConvertI32U, CastOp::UIToFP},
    {Op::F32ConvertI64U, CastOp::UIToFP},     {Op::F64ConvertI32U, CastOp::UIToFP},
    {Op::F64ConvertI64U, CastOp::UIToFP},     {Op::F64PromoteF32, CastOp::FPExt},
    {Op::I32ReinterpretF32, CastOp::BitCast}, {Op::I64ReinterpretF64, CastOp::BitCast},
    {Op::F32ReinterpretI32, CastOp::BitCast}, {Op::F64ReinterpretI64, CastOp::BitCast},
};

struct TruncRow {
  Op::Enum op;
  bool isSigned, saturating;
};
constexpr TruncRow kTruncs[] = {
    {Op::I32TruncF32S, true, false},    {Op::I32TruncF64S, true, false},
    {Op::I64TruncF32S, true, false},    {Op::I64TruncF64S, true, false},
    {Op::I32TruncF32U, false, false},   {Op::I32TruncF64U, false, false},
    {Op::I64TruncF32U, false, false},   {Op::I64TruncF64U, false, false},
    {Op::I32TruncSatF32S, true, true},  {Op::I32TruncSatF64S, true, true},
    {Op::I64TruncSatF32S, true, true},  {Op::I64TruncSatF64S, true, true},
    {Op::I32TruncSatF32U, false, true}, {Op::I32TruncSatF64U, false, true},
    {Op::I64TruncSatF32U, false, true}, {Op::I64TruncSatF64U, false, true},
};

bool NumericEmitter::emit(Op op) {
  if (auto pred = lookup(kCompares, op)) {
    binary([&](Value *l, Value *r) { return b.CreateZExt(b.CreateCmp(*pred, l, r), t.i32()); });
    return true;
  }
  if (auto opc = lookup(kIntBinary, op)) {
    binary([&](Value *l, Value *r) { return b.CreateBinOp(*opc, l, r); });
    return true;
  }
  if (auto opc = lookup(kShifts, op)) {
    binary([&](Value *l, Value *r) { return b.CreateBinOp(*opc, l, shiftCount(r)); });
    return true;
  }
  if (auto opc = lookup(kFloatBinary, op)) {
    binary([&](Value *l, Value *r) { return floatArith(*opc, l, r); });
    return true;
  }
  if (auto id = lookup(kUnaryIntrinsics, op)) {
    unary([&](Value *v) {
      bool countsZeros = *id == llvm::Intrinsic::ctlz || *id == llvm::Intrinsic::cttz;
      return countsZeros ? t.callIntrinsic(*id, {v->getType()}, {v, b.getFalse()})
                         : t.callIntrinsic(*id, {v->getType()}, {v});
    });
    return true;
  }
  if (auto id = lookup(kBinaryIntrinsics, op)) {
    binary([&](Value *l, Value *r) {
      if (*id == llvm::Intrinsic::minimum || *id == llvm::Intrinsic::maximum)
        return t.minMax(*id, l, r);
      return t.callIntrinsic(*id, {l->getType()}, {l, l, r});
    });
    return true;
  }
  for (const auto &row : kCasts) {
    if (row.first == op) {
      unary([&](Value *v) { return b.CreateCast(row.second, v, t.type(op.GetResultType())); });
      return true;
    }
  }
  for (const TruncRow &row : kTruncs) {
    if (row.op == op) {
      llvm::Type *to = t.type(op.GetResultType());
      unary([&](Value *v) {
        return row.saturating ? truncSat(v, to, row.isSigned) : truncChecked(v, to, row.isSigned);
      });
      return true;
    }
  }

  switch (op) {
  case Op::I32Eqz:
  case Op::I64Eqz:
    unary([&](Value *v) {
      return b.CreateZExt(b.CreateICmpEQ(v, intConst(v->getType(), 0)), t.i32());
    });
    return true;
  case Op::I32DivS:
  case Op::I64DivS:
  case Op::I32DivU:
  case Op::I64DivU:
  case Op::I32RemS:
  case Op::I64RemS:
  case Op::I32RemU:
  case Op::I64RemU: {
    bool isSigned =
        op == Op::I32DivS || op == Op::I64DivS || op == Op::I32RemS || op == Op::I64RemS;
    bool isRem = op == Op::I32RemS || op == Op::I64RemS || op == Op::I32RemU || op == Op::I64RemU;
    binary([&](Value *l, Value *r) { return divRem(l, r, isSigned, isRem); });
    return true;
  }
  case Op::I32Extend8S:
  case Op::I64Extend8S:
    unary([&](Value *v) { return signExtendFrom(v, 8); });
    return true;
  case Op::I32Extend16S:
  case Op::I64Extend16S:
    unary([&](Value *v) { return signExtendFrom(v, 16); });
    return true;
  case Op::I64Extend32S:
    unary([&](Value *v) { return signExtendFrom(v, 32); });
    return true;
  case Op::F32Abs:
  case Op::F64Abs:
    unary([&](Value *v) { return fabs(v); });
    return true;
  case Op::F32Neg:
  case Op::F64Neg:
    unary([&](Value *v) { return fneg(v); });
    return true;
  case Op::F32Copysign:
  case Op::F64Copysign:
    binary([&](Value *l, Value *r) { return copysign(l, r); });
    return true;
  case Op::F32DemoteF64:
    unary([&](Value *v) { return demote(v); });
    return true;
  default:
    return false;
  }
}

template <wabt::ExprType Type> Op opcodeOf(const wabt::Expr &e) {
  return static_cast<const wabt::OpcodeExpr<Type> &>(e).opcode;
}

} // namespace

void emitNumeric(FunctionTranslator &t, const wabt::Expr &e) {
  NumericEmitter emitter(t);
  Op op;
  switch (e.type()) {
  case wabt::ExprType::Const:
    emitter.constant(static_cast<const wabt::ConstExpr &>(e).const_);
    return;
  case wabt::ExprType::Unary:
    op = opcodeOf<wabt::ExprType::Unary>(e);
    break;
  case wabt::ExprType::Binary:
    op = opcodeOf<wabt::ExprType::Binary>(e);
    break;
  case wabt::ExprType::Compare:
    op = opcodeOf<wabt::ExprType::Compare>(e);
    break;
  case wabt::ExprType::Convert:
    op = opcodeOf<wabt::ExprType::Convert>(e);
    break;
  case wabt::ExprType::Ternary:
    op = opcodeOf<wabt::ExprType::Ternary>(e);
    break;
  default:
    t.fail(std::string("not a numeric expression: ") + wabt::GetExprTypeName(e.type()));
    return;
  }
  if (!emitter.emit(op)) {
    t.fail(std::string("unsupported numeric opcode ") + op.GetName());
    return;
  }
  if (yieldsArithmeticNaN(op) && !t.error)
    t.push(t.canonicalizeNaN(t.pop()));
}

} // namespace parawasm::compile

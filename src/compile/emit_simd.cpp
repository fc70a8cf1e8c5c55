// SIMD128 (Wasm 2.0, no relaxed SIMD) -> LLVM IR. A v128 lives on the operand stack as <4 x i32>
// and is bitcast to the lane shape each operator needs. Only generic IR and target-independent
// intrinsics are used, because the same IR is also compiled for NVPTX.
#include "compile/nan_rule.h"
#include "compile/translator.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <wabt/cast.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace parawasm::compile {

bool isSimdOpcode(wabt::Opcode op) {
  if (op.IsInvalid())
    return false;
  if (op.GetPrefix() == 0xfd)
    return true;
  const wabt::Type v128 = wabt::Type::V128;
  return op.GetResultType() == v128 || op.GetParamType1() == v128 || op.GetParamType2() == v128 ||
         op.GetParamType3() == v128;
}

namespace {

using llvm::CmpInst;
using llvm::FixedVectorType;
using llvm::Instruction;
using llvm::Value;
using Op = wabt::Opcode;
namespace Intr = llvm::Intrinsic;

enum class Lanes : uint8_t { I8x16, I16x8, I32x4, I64x2, F32x4, F64x2 };

// Operators that apply one pattern lane by lane; the rest are spelled out in emitOperator.
enum class Form : uint8_t {
  ICmp,     // code: predicate; true lanes become all ones
  FCmp,     // code: predicate
  BinOp,    // code: Instruction::BinaryOps
  Unary1,   // code: intrinsic on the lane vector, one operand
  Binary2,  // code: intrinsic on the lane vector, two operands
  Shift,    // code: Instruction::BinaryOps; v128 by an i32 count taken modulo the lane width
  Extend,   // code: kHigh | kSigned; half of the (narrow) lanes, widened
  Extmul,   // code: kHigh | kSigned; products of widened halves
  ExtaddPw, // code: kSigned; sums of adjacent widened lanes
  AllTrue,  // i32 1 when no lane is zero
  Bitmask,  // i32 of the lanes' sign bits
  MinMax,   // code: llvm.minimum or llvm.maximum
};
constexpr unsigned kSigned = 1, kHigh = 2;

struct LaneOp {
  Op::Enum op;
  Lanes lanes; // of the operands
  Form form;
  unsigned code;
};

// clang-format off
constexpr LaneOp kLaneOps[] = {
  {Op::I8X16Eq, Lanes::I8x16, Form::ICmp, CmpInst::ICMP_EQ},
  {Op::I8X16Ne, Lanes::I8x16, Form::ICmp, CmpInst::ICMP_NE},
  {Op::I8X16LtS, Lanes::I8x16, Form::ICmp, CmpInst::ICMP_SLT},
  {Op::I8X16LtU, Lanes::I8x16, Form::ICmp, CmpInst::ICMP_ULT},
  {Op::I8X16GtS, Lanes::I8x16, Form::ICmp, CmpInst::ICMP_SGT},
  {Op::I8X16GtU, Lanes::I8x16, Form::ICmp, CmpInst::ICMP_UGT},
  {Op::I8X16LeS, Lanes::I8x16, Form::ICmp, CmpInst::ICMP_SLE},
  {Op::I8X16LeU, Lanes::I8x16, Form::ICmp, CmpInst::ICMP_ULE},
  {Op::I8X16GeS, Lanes::I8x16, Form::ICmp, CmpInst::ICMP_SGE},
  {Op::I8X16GeU, Lanes::I8x16, Form::ICmp, CmpInst::ICMP_UGE},
  {Op::I16X8Eq, Lanes::I16x8, Form::ICmp, CmpInst::ICMP_EQ},
  {Op::I16X8Ne, Lanes::I16x8, Form::ICmp, CmpInst::ICMP_NE},
  {Op::I16X8LtS, Lanes::I16x8, Form::ICmp, CmpInst::ICMP_SLT},
  {Op::I16X8LtU, Lanes::I16x8, Form::ICmp, CmpInst::ICMP_ULT},
  {Op::I16X8GtS, Lanes::I16x8, Form::ICmp, CmpInst::ICMP_SGT},
  {Op::I16X8GtU, Lanes::I16x8, Form::ICmp, CmpInst::ICMP_UGT},
  {Op::I16X8LeS, Lanes::I16x8, Form::ICmp, CmpInst::ICMP_SLE},
  {Op::I16X8LeU, Lanes::I16x8, Form::ICmp, CmpInst::ICMP_ULE},
  {Op::I16X8GeS, Lanes::I16x8, Form::ICmp, CmpInst::ICMP_SGE},
  {Op::I16X8GeU, Lanes::I16x8, Form::ICmp, CmpInst::ICMP_UGE},
  {Op::I32X4Eq, Lanes::I32x4, Form::ICmp, CmpInst::ICMP_EQ},
  {Op::I32X4Ne, Lanes::I32x4, Form::ICmp, CmpInst::ICMP_NE},
  {Op::I32X4LtS, Lanes::I32x4, Form::ICmp, CmpInst::ICMP_SLT},
  {Op::I32X4LtU, Lanes::I32x4, Form::ICmp, CmpInst::ICMP_ULT},
  {Op::I32X4GtS, Lanes::I32x4, Form::ICmp, CmpInst::ICMP_SGT},
  {Op::I32X4GtU, Lanes::I32x4, Form::ICmp, CmpInst::ICMP_UGT},
  {Op::I32X4LeS, Lanes::I32x4, Form::ICmp, CmpInst::ICMP_SLE},
  {Op::I32X4LeU, Lanes::I32x4, Form::ICmp, CmpInst::ICMP_ULE},
  {Op::I32X4GeS, Lanes::I32x4, Form::ICmp, CmpInst::ICMP_SGE},
  {Op::I32X4GeU, Lanes::I32x4, Form::ICmp, CmpInst::ICMP_UGE},
  {Op::I64X2Eq, Lanes::I64x2, Form::ICmp, CmpInst::ICMP_EQ},
  {Op::I64X2Ne, Lanes::I64x2, Form::ICmp, CmpInst::ICMP_NE},
  {Op::I64X2LtS, Lanes::I64x2, Form::ICmp, CmpInst::ICMP_SLT},
  {Op::I64X2GtS, Lanes::I64x2, Form::ICmp, CmpInst::ICMP_SGT},
  {Op::I64X2LeS, Lanes::I64x2, Form::ICmp, CmpInst::ICMP_SLE},
  {Op::I64X2GeS, Lanes::I64x2, Form::ICmp, CmpInst::ICMP_SGE},
  // Ordered comparisons except `ne`, which holds when either side is NaN.
  {Op::F32X4Eq, Lanes::F32x4, Form::FCmp, CmpInst::FCMP_OEQ},
  {Op::F32X4Ne, Lanes::F32x4, Form::FCmp, CmpInst::FCMP_UNE},
  {Op::F32X4Lt, Lanes::F32x4, Form::FCmp, CmpInst::FCMP_OLT},
  {Op::F32X4Gt, Lanes::F32x4, Form::FCmp, CmpInst::FCMP_OGT},
  {Op::F32X4Le, Lanes::F32x4, Form::FCmp, CmpInst::FCMP_OLE},
  {Op::F32X4Ge, Lanes::F32x4, Form::FCmp, CmpInst::FCMP_OGE},
  {Op::F64X2Eq, Lanes::F64x2, Form::FCmp, CmpInst::FCMP_OEQ},
  {Op::F64X2Ne, Lanes::F64x2, Form::FCmp, CmpInst::FCMP_UNE},
  {Op::F64X2Lt, Lanes::F64x2, Form::FCmp, CmpInst::FCMP_OLT},
  {Op::F64X2Gt, Lanes::F64x2, Form::FCmp, CmpInst::FCMP_OGT},
  {Op::F64X2Le, Lanes::F64x2, Form::FCmp, CmpInst::FCMP_OLE},
  {Op::F64X2Ge, Lanes::F64x2, Form::FCmp, CmpInst::FCMP_OGE},

  {Op::V128And, Lanes::I32x4, Form::BinOp, Instruction::And},
  {Op::V128Or, Lanes::I32x4, Form::BinOp, Instruction::Or},
  {Op::V128Xor, Lanes::I32x4, Form::BinOp, Instruction::Xor},
  {Op::I8X16Add, Lanes::I8x16, Form::BinOp, Instruction::Add},
  {Op::I16X8Add, Lanes::I16x8, Form::BinOp, Instruction::Add},
  {Op::I32X4Add, Lanes::I32x4, Form::BinOp, Instruction::Add},
  {Op::I64X2Add, Lanes::I64x2, Form::BinOp, Instruction::Add},
  {Op::I8X16Sub, Lanes::I8x16, Form::BinOp, Instruction::Sub},
  {Op::I16X8Sub, Lanes::I16x8, Form::BinOp, Instruction::Sub},
  {Op::I32X4Sub, Lanes::I32x4, Form::BinOp, Instruction::Sub},
  {Op::I64X2Sub, Lanes::I64x2, Form::BinOp, Instruction::Sub},
  {Op::I16X8Mul, Lanes::I16x8, Form::BinOp, Instruction::Mul},
  {Op::I32X4Mul, Lanes::I32x4, Form::BinOp, Instruction::Mul},
  {Op::I64X2Mul, Lanes::I64x2, Form::BinOp, Instruction::Mul},
  {Op::F32X4Add, Lanes::F32x4, Form::BinOp, Instruction::FAdd},
  {Op::F32X4Sub, Lanes::F32x4, Form::BinOp, Instruction::FSub},
  {Op::F32X4Mul, Lanes::F32x4, Form::BinOp, Instruction::FMul},
  {Op::F32X4Div, Lanes::F32x4, Form::BinOp, Instruction::FDiv},
  {Op::F64X2Add, Lanes::F64x2, Form::BinOp, Instruction::FAdd},
  {Op::F64X2Sub, Lanes::F64x2, Form::BinOp, Instruction::FSub},
  {Op::F64X2Mul, Lanes::F64x2, Form::BinOp, Instruction::FMul},
  {Op::F64X2Div, Lanes::F64x2, Form::BinOp, Instruction::FDiv},

  {Op::I8X16AddSatS, Lanes::I8x16, Form::Binary2, Intr::sadd_sat},
  {Op::I8X16AddSatU, Lanes::I8x16, Form::Binary2, Intr::uadd_sat},
  {Op::I8X16SubSatS, Lanes::I8x16, Form::Binary2, Intr::ssub_sat},
  {Op::I8X16SubSatU, Lanes::I8x16, Form::Binary2, Intr::usub_sat},
  {Op::I16X8AddSatS, Lanes::I16x8, Form::Binary2, Intr::sadd_sat},
  {Op::I16X8AddSatU, Lanes::I16x8, Form::Binary2, Intr::uadd_sat},
  {Op::I16X8SubSatS, Lanes::I16x8, Form::Binary2, Intr::ssub_sat},
  {Op::I16X8SubSatU, Lanes::I16x8, Form::Binary2, Intr::usub_sat},
  {Op::I8X16MinS, Lanes::I8x16, Form::Binary2, Intr::smin},
  {Op::I8X16MinU, Lanes::I8x16, Form::Binary2, Intr::umin},
  {Op::I8X16MaxS, Lanes::I8x16, Form::Binary2, Intr::smax},
  {Op::I8X16MaxU, Lanes::I8x16, Form::Binary2, Intr::umax},
  {Op::I16X8MinS, Lanes::I16x8, Form::Binary2, Intr::smin},
  {Op::I16X8MinU, Lanes::I16x8, Form::Binary2, Intr::umin},
  {Op::I16X8MaxS, Lanes::I16x8, Form::Binary2, Intr::smax},
  {Op::I16X8MaxU, Lanes::I16x8, Form::Binary2, Intr::umax},
  {Op::I32X4MinS, Lanes::I32x4, Form::Binary2, Intr::smin},
  {Op::I32X4MinU, Lanes::I32x4, Form::Binary2, Intr::umin},
  {Op::I32X4MaxS, Lanes::I32x4, Form::Binary2, Intr::smax},
  {Op::I32X4MaxU, Lanes::I32x4, Form::Binary2, Intr::umax},
  {Op::F32X4Min, Lanes::F32x4, Form::MinMax, Intr::minimum},
  {Op::F32X4Max, Lanes::F32x4, Form::MinMax, Intr::maximum},
  {Op::F64X2Min, Lanes::F64x2, Form::MinMax, Intr::minimum},
  {Op::F64X2Max, Lanes::F64x2, Form::MinMax, Intr::maximum},

  {Op::I8X16Popcnt, Lanes::I8x16, Form::Unary1, Intr::ctpop},
  // fabs (like fneg) only touches the sign bit, as Wasm requires for NaN payloads.
  {Op::F32X4Abs, Lanes::F32x4, Form::Unary1, Intr::fabs},
  {Op::F64X2Abs, Lanes::F64x2, Form::Unary1, Intr::fabs},
  {Op::F32X4Sqrt, Lanes::F32x4, Form::Unary1, Intr::sqrt},
  {Op::F64X2Sqrt, Lanes::F64x2, Form::Unary1, Intr::sqrt},
  {Op::F32X4Ceil, Lanes::F32x4, Form::Unary1, Intr::ceil},
  {Op::F64X2Ceil, Lanes::F64x2, Form::Unary1, Intr::ceil},
  {Op::F32X4Floor, Lanes::F32x4, Form::Unary1, Intr::floor},
  {Op::F64X2Floor, Lanes::F64x2, Form::Unary1, Intr::floor},
  {Op::F32X4Trunc, Lanes::F32x4, Form::Unary1, Intr::trunc},
  {Op::F64X2Trunc, Lanes::F64x2, Form::Unary1, Intr::trunc},
  {Op::F32X4Nearest, Lanes::F32x4, Form::Unary1, Intr::roundeven},
  {Op::F64X2Nearest, Lanes::F64x2, Form::Unary1, Intr::roundeven},

  {Op::I8X16Shl, Lanes::I8x16, Form::Shift, Instruction::Shl},
  {Op::I8X16ShrS, Lanes::I8x16, Form::Shift, Instruction::AShr},
  {Op::I8X16ShrU, Lanes::I8x16, Form::Shift, Instruction::LShr},
  {Op::I16X8Shl, Lanes::I16x8, Form::Shift, Instruction::Shl},
  {Op::I16X8ShrS, Lanes::I16x8, Form::Shift, Instruction::AShr},
  {Op::I16X8ShrU, Lanes::I16x8, Form::Shift, Instruction::LShr},
  {Op::I32X4Shl, Lanes::I32x4, Form::Shift, Instruction::Shl},
  {Op::I32X4ShrS, Lanes::I32x4, Form::Shift, Instruction::AShr},
  {Op::I32X4ShrU, Lanes::I32x4, Form::Shift, Instruction::LShr},
  {Op::I64X2Shl, Lanes::I64x2, Form::Shift, Instruction::Shl},
  {Op::I64X2ShrS, Lanes::I64x2, Form::Shift, Instruction::AShr},
  {Op::I64X2ShrU, Lanes::I64x2, Form::Shift, Instruction::LShr},

  {Op::I16X8ExtendLowI8X16S, Lanes::I8x16, Form::Extend, kSigned},
  {Op::I16X8ExtendHighI8X16S, Lanes::I8x16, Form::Extend, kHigh | kSigned},
  {Op::I16X8ExtendLowI8X16U, Lanes::I8x16, Form::Extend, 0},
  {Op::I16X8ExtendHighI8X16U, Lanes::I8x16, Form::Extend, kHigh},
  {Op::I32X4ExtendLowI16X8S, Lanes::I16x8, Form::Extend, kSigned},
  {Op::I32X4ExtendHighI16X8S, Lanes::I16x8, Form::Extend, kHigh | kSigned},
  {Op::I32X4ExtendLowI16X8U, Lanes::I16x8, Form::Extend, 0},
  {Op::I32X4ExtendHighI16X8U, Lanes::I16x8, Form::Extend, kHigh},
  {Op::I64X2ExtendLowI32X4S, Lanes::I32x4, Form::Extend, kSigned},
  {Op::I64X2ExtendHighI32X4S, Lanes::I32x4, Form::Extend, kHigh | kSigned},
  {Op::I64X2ExtendLowI32X4U, Lanes::I32x4, Form::Extend, 0},
  {Op::I64X2ExtendHighI32X4U, Lanes::I32x4, Form::Extend, kHigh},
  {Op::I16X8ExtmulLowI8X16S, Lanes::I8x16, Form::Extmul, kSigned},
  {Op::I16X8ExtmulHighI8X16S, Lanes::I8x16, Form::Extmul, kHigh | kSigned},
  {Op::I16X8ExtmulLowI8X16U, Lanes::I8x16, Form::Extmul, 0},
  {Op::I16X8ExtmulHighI8X16U, Lanes::I8x16, Form::Extmul, kHigh},
  {Op::I32X4ExtmulLowI16X8S, Lanes::I16x8, Form::Extmul, kSigned},
  {Op::I32X4ExtmulHighI16X8S, Lanes::I16x8, Form::Extmul, kHigh | kSigned},
  {Op::I32X4ExtmulLowI16X8U, Lanes::I16x8, Form::Extmul, 0},
  {Op::I32X4ExtmulHighI16X8U, Lanes::I16x8, Form::Extmul, kHigh},
  {Op::I64X2ExtmulLowI32X4S, Lanes::I32x4, Form::Extmul, kSigned},
  {Op::I64X2ExtmulHighI32X4S, Lanes::I32x4, Form::Extmul, kHigh | kSigned},
  {Op::I64X2ExtmulLowI32X4U, Lanes::I32x4, Form::Extmul, 0},
  {Op::I64X2ExtmulHighI32X4U, Lanes::I32x4, Form::Extmul, kHigh},
  {Op::I16X8ExtaddPairwiseI8X16S, Lanes::I8x16, Form::ExtaddPw, kSigned},
  {Op::I16X8ExtaddPairwiseI8X16U, Lanes::I8x16, Form::ExtaddPw, 0},
  {Op::I32X4ExtaddPairwiseI16X8S, Lanes::I16x8, Form::ExtaddPw, kSigned},
  {Op::I32X4ExtaddPairwiseI16X8U, Lanes::I16x8, Form::ExtaddPw, 0},

  {Op::I8X16AllTrue, Lanes::I8x16, Form::AllTrue, 0},
  {Op::I16X8AllTrue, Lanes::I16x8, Form::AllTrue, 0},
  {Op::I32X4AllTrue, Lanes::I32x4, Form::AllTrue, 0},
  {Op::I64X2AllTrue, Lanes::I64x2, Form::AllTrue, 0},
  {Op::I8X16Bitmask, Lanes::I8x16, Form::Bitmask, 0},
  {Op::I16X8Bitmask, Lanes::I16x8, Form::Bitmask, 0},
  {Op::I32X4Bitmask, Lanes::I32x4, Form::Bitmask, 0},
  {Op::I64X2Bitmask, Lanes::I64x2, Form::Bitmask, 0},
};
// clang-format on

const LaneOp *findLaneOp(Op op) {
  static const std::unordered_map<uint32_t, const LaneOp *> index = [] {
    std::unordered_map<uint32_t, const LaneOp *> m;
    for (const LaneOp &l : kLaneOps)
      m[l.op] = &l;
    return m;
  }();
  auto it = index.find(op);
  return it == index.end() ? nullptr : it->second;
}

class SimdEmitter {
public:
  explicit SimdEmitter(FunctionTranslator &t) : t(t), b(t.b) {}

  void emit(const wabt::Expr &e);
  void canonicalizeArithmeticNaN(wabt::Opcode op);

private:
  FunctionTranslator &t;
  llvm::IRBuilder<> &b;

  FixedVectorType *vec(llvm::Type *lane, unsigned n) { return FixedVectorType::get(lane, n); }
  FixedVectorType *i8x16() { return vec(t.i8(), 16); }
  FixedVectorType *i16x8() { return vec(t.i16(), 8); }
  FixedVectorType *i32x4() { return vec(t.i32(), 4); }
  FixedVectorType *i64x2() { return vec(t.i64(), 2); }
  FixedVectorType *f32x4() { return vec(t.f32(), 4); }
  FixedVectorType *f64x2() { return vec(t.f64(), 2); }
  FixedVectorType *shape(Lanes l) {
    switch (l) {
    case Lanes::I8x16:
      return i8x16();
    case Lanes::I16x8:
      return i16x8();
    case Lanes::I32x4:
      return i32x4();
    case Lanes::I64x2:
      return i64x2();
    case Lanes::F32x4:
      return f32x4();
    case Lanes::F64x2:
      return f64x2();
    }
    return i32x4();
  }
  // Integer lanes twice as wide; `lanes` of them (all of ty's lanes by default).
  FixedVectorType *widened(FixedVectorType *ty, unsigned lanes = 0) {
    return vec(b.getIntNTy(ty->getScalarSizeInBits() * 2), lanes ? lanes : ty->getNumElements());
  }

  Value *popAs(llvm::Type *ty) { return b.CreateBitCast(t.pop(), ty); }
  void pushV128(Value *v) { t.push(b.CreateBitCast(v, t.v128())); }
  Value *intrinsic(llvm::Intrinsic::ID id, llvm::ArrayRef<llvm::Type *> types,
                   llvm::ArrayRef<Value *> args) {
    return t.callIntrinsic(id, types, args);
  }
  Value *splatInt(FixedVectorType *ty, int64_t v) {
    return llvm::ConstantInt::get(ty, static_cast<uint64_t>(v), /*isSigned=*/true);
  }
  Value *zero(llvm::Type *ty) { return llvm::Constant::getNullValue(ty); }

  template <typename F> void unary(FixedVectorType *ty, F f) { pushV128(f(popAs(ty))); }
  template <typename F> void binary(FixedVectorType *ty, F f) {
    Value *rhs = popAs(ty);
    Value *lhs = popAs(ty);
    pushV128(f(lhs, rhs));
  }

  // Lanes [first, first + count) of v.
  Value *slice(Value *v, unsigned first, unsigned count) {
    llvm::SmallVector<int, 16> mask;
    for (unsigned i = 0; i < count; ++i)
      mask.push_back(static_cast<int>(first + i));
    return b.CreateShuffleVector(v, mask);
  }
  // Every second lane of v starting at `first`.
  Value *strided(Value *v, unsigned first) {
    unsigned n = llvm::cast<FixedVectorType>(v->getType())->getNumElements();
    llvm::SmallVector<int, 16> mask;
    for (unsigned i = first; i < n; i += 2)
      mask.push_back(static_cast<int>(i));
    return b.CreateShuffleVector(v, mask);
  }
  // a ++ c; c defaults to zeros.
  Value *concat(Value *a, Value *c = nullptr) {
    auto *ty = llvm::cast<FixedVectorType>(a->getType());
    llvm::SmallVector<int, 16> mask;
    for (unsigned i = 0; i < ty->getNumElements() * 2; ++i)
      mask.push_back(static_cast<int>(i));
    return b.CreateShuffleVector(a, c ? c : zero(ty), mask);
  }
  Value *extend(Value *v, llvm::Type *to, bool isSigned) {
    return isSigned ? b.CreateSExt(v, to) : b.CreateZExt(v, to);
  }
  // Low or high half of v's lanes, each extended to twice its width.
  Value *extendHalf(Value *v, FixedVectorType *ty, unsigned flags) {
    unsigned half = ty->getNumElements() / 2;
    Value *part = slice(v, flags & kHigh ? half : 0, half);
    return extend(part, widened(ty, half), flags & kSigned);
  }

  void emitLaneOp(const LaneOp &l);
  void emitOperator(Op op);
  void emitConst(const wabt::ConstExpr &e);
  void emitLoad(Op op, uint64_t offset);
  template <class LoadLike> void emitLoadOf(const LoadLike &l) {
    if ((mem_ = t.memoryOperand(l.memidx)))
      emitLoad(l.opcode, l.offset);
  }
  void emitStore(Op op, uint64_t offset);
  void emitLoadLane(const wabt::SimdLoadLaneExpr &e);
  void emitStoreLane(const wabt::SimdStoreLaneExpr &e);
  void emitExtractReplace(const wabt::SimdLaneOpExpr &e);
  void emitShuffle(const wabt::SimdShuffleOpExpr &e);
  void emitSwizzle();
  void narrow(FixedVectorType *wideTy, FixedVectorType *resultTy, int64_t lo, int64_t hi);
  void avgrU(FixedVectorType *ty);
  void pminmax(FixedVectorType *ty, bool isMax);
  void splat(llvm::Type *laneTy, unsigned n);
  // i16 lanes: x[2i] * y[2i] + x[2i+1] * y[2i+1], signed bytes, wrapping.
  Value *dotI8Pairs(Value *x, Value *y) {
    FixedVectorType *wideTy = widened(i8x16());
    Value *p = b.CreateMul(b.CreateSExt(x, wideTy), b.CreateSExt(y, wideTy));
    return b.CreateAdd(strided(p, 0), strided(p, 1));
  }

  // The memory of the access being emitted (set from its memidx before emitting it).
  std::optional<MemoryRef> mem_;
  Value *address(uint64_t offset, unsigned bytes) {
    Value *addr = t.pop();
    return t.memoryAddress(*mem_, addr, offset, bytes);
  }
  // Wasm alignment is only a hint, so every access is emitted with alignment 1.
  Value *load(llvm::Type *ty, Value *p) { return t.memoryLoad(*mem_, ty, p); }
  void store(Value *v, Value *p) { b.CreateAlignedStore(v, p, llvm::Align(1)); }
  void unsupported(Op op) { t.fail(std::string("unsupported SIMD operator ") + op.GetName()); }
};

void SimdEmitter::emitLaneOp(const LaneOp &l) {
  FixedVectorType *ty = shape(l.lanes);
  auto id = static_cast<llvm::Intrinsic::ID>(l.code);
  switch (l.form) {
  case Form::ICmp:
    return binary(ty, [&](Value *x, Value *y) {
      return b.CreateSExt(b.CreateICmp(CmpInst::Predicate(l.code), x, y), ty);
    });
  case Form::FCmp:
    return binary(ty, [&](Value *x, Value *y) {
      return b.CreateSExt(b.CreateFCmp(CmpInst::Predicate(l.code), x, y),
                          FixedVectorType::getInteger(ty));
    });
  case Form::BinOp:
    return binary(ty, [&](Value *x, Value *y) {
      return b.CreateBinOp(Instruction::BinaryOps(l.code), x, y);
    });
  case Form::Unary1:
    return unary(ty, [&](Value *v) { return intrinsic(id, {ty}, {v}); });
  case Form::Binary2:
    return binary(ty, [&](Value *x, Value *y) { return intrinsic(id, {ty}, {x, y}); });
  case Form::MinMax:
    return binary(ty, [&](Value *x, Value *y) { return t.minMax(id, x, y); });
  case Form::Shift: {
    Value *count = t.pop();
    Value *v = popAs(ty);
    count = b.CreateAnd(count, b.getInt32(ty->getScalarSizeInBits() - 1));
    count = b.CreateZExtOrTrunc(count, ty->getElementType());
    Value *counts = b.CreateVectorSplat(ty->getNumElements(), count);
    return pushV128(b.CreateBinOp(Instruction::BinaryOps(l.code), v, counts));
  }
  case Form::Extend:
    return unary(ty, [&](Value *v) { return extendHalf(v, ty, l.code); });
  case Form::Extmul:
    return binary(ty, [&](Value *x, Value *y) {
      return b.CreateMul(extendHalf(x, ty, l.code), extendHalf(y, ty, l.code));
    });
  case Form::ExtaddPw:
    return unary(ty, [&](Value *v) {
      FixedVectorType *wideTy = widened(ty, ty->getNumElements() / 2);
      return b.CreateAdd(extend(strided(v, 0), wideTy, l.code & kSigned),
                         extend(strided(v, 1), wideTy, l.code & kSigned));
    });
  case Form::AllTrue: {
    Value *nonZero = b.CreateICmpNE(popAs(ty), zero(ty));
    Value *all = intrinsic(Intr::vector_reduce_and, {nonZero->getType()}, {nonZero});
    return t.push(b.CreateZExt(all, t.i32()));
  }
  case Form::Bitmask: {
    Value *negative = b.CreateICmpSLT(popAs(ty), zero(ty));
    Value *bits = b.CreateBitCast(negative, b.getIntNTy(ty->getNumElements()));
    return t.push(b.CreateZExt(bits, t.i32()));
  }
  }
}

// Both operands' lanes, clamped to [lo, hi] (taken as signed) and truncated to half width.
void SimdEmitter::narrow(FixedVectorType *wideTy, FixedVectorType *resultTy, int64_t lo,
                         int64_t hi) {
  binary(wideTy, [&](Value *x, Value *y) {
    Value *both = concat(x, y);
    auto *bothTy = llvm::cast<FixedVectorType>(both->getType());
    Value *c = intrinsic(Intr::smax, {bothTy}, {both, splatInt(bothTy, lo)});
    c = intrinsic(Intr::smin, {bothTy}, {c, splatInt(bothTy, hi)});
    return b.CreateTrunc(c, resultTy);
  });
}

void SimdEmitter::avgrU(FixedVectorType *ty) {
  binary(ty, [&](Value *x, Value *y) {
    FixedVectorType *wideTy = widened(ty);
    Value *sum = b.CreateAdd(b.CreateZExt(x, wideTy), b.CreateZExt(y, wideTy));
    sum = b.CreateAdd(sum, splatInt(wideTy, 1));
    return b.CreateTrunc(b.CreateLShr(sum, splatInt(wideTy, 1)), ty);
  });
}

// pmin is `y < x ? y : x`, pmax is `x < y ? y : x`: plain selects, no NaN or signed-zero rules.
void SimdEmitter::pminmax(FixedVectorType *ty, bool isMax) {
  binary(ty, [&](Value *x, Value *y) {
    Value *takeY = isMax ? b.CreateFCmpOLT(x, y) : b.CreateFCmpOLT(y, x);
    return b.CreateSelect(takeY, y, x);
  });
}

void SimdEmitter::splat(llvm::Type *laneTy, unsigned n) {
  Value *s = t.pop();
  if (s->getType() != laneTy)
    s = b.CreateTrunc(s, laneTy);
  pushV128(b.CreateVectorSplat(n, s));
}

// Lanes of `a` picked by the byte indices in `s`; an index of 16 or more gives 0. Built from
// per-lane extracts, a shape x86 turns into pshufb.
void SimdEmitter::emitSwizzle() {
  Value *s = popAs(i8x16());
  Value *a = popAs(i8x16());
  Value *idx = b.CreateAnd(s, splatInt(i8x16(), 15));
  Value *r = llvm::PoisonValue::get(i8x16());
  for (uint64_t i = 0; i < 16; ++i) {
    Value *k = b.CreateExtractElement(idx, i);
    r = b.CreateInsertElement(r, b.CreateExtractElement(a, k), i);
  }
  Value *inRange = b.CreateICmpULT(s, splatInt(i8x16(), 16));
  pushV128(b.CreateSelect(inRange, r, zero(i8x16())));
}

void SimdEmitter::emitOperator(Op op) {
  if (const LaneOp *l = findLaneOp(op))
    return emitLaneOp(*l);
  switch (op) {
  case Op::I8X16Splat:
    return splat(t.i8(), 16);
  case Op::I16X8Splat:
    return splat(t.i16(), 8);
  case Op::I32X4Splat:
    return splat(t.i32(), 4);
  case Op::I64X2Splat:
    return splat(t.i64(), 2);
  case Op::F32X4Splat:
    return splat(t.f32(), 4);
  case Op::F64X2Splat:
    return splat(t.f64(), 2);
  case Op::I8X16Swizzle:
    return emitSwizzle();

  case Op::V128Not:
    return unary(i32x4(), [&](Value *v) { return b.CreateNot(v); });
  case Op::V128Andnot:
    return binary(i32x4(), [&](Value *x, Value *y) { return b.CreateAnd(x, b.CreateNot(y)); });
  case Op::V128BitSelect: {
    Value *c = popAs(i32x4());
    Value *v2 = popAs(i32x4());
    Value *v1 = popAs(i32x4());
    return pushV128(b.CreateOr(b.CreateAnd(v1, c), b.CreateAnd(v2, b.CreateNot(c))));
  }
  case Op::V128AnyTrue: {
    Value *nonZero = b.CreateICmpNE(popAs(i64x2()), zero(i64x2()));
    Value *any = intrinsic(Intr::vector_reduce_or, {nonZero->getType()}, {nonZero});
    return t.push(b.CreateZExt(any, t.i32()));
  }

  case Op::I8X16Abs:
  case Op::I16X8Abs:
  case Op::I32X4Abs:
  case Op::I64X2Abs: {
    FixedVectorType *ty = op == Op::I8X16Abs   ? i8x16()
                          : op == Op::I16X8Abs ? i16x8()
                          : op == Op::I32X4Abs ? i32x4()
                                               : i64x2();
    // is_int_min_poison = false: abs(INT_MIN) stays INT_MIN.
    return unary(ty, [&](Value *v) { return intrinsic(Intr::abs, {ty}, {v, b.getFalse()}); });
  }
  case Op::I8X16Neg:
  case Op::I16X8Neg:
  case Op::I32X4Neg:
  case Op::I64X2Neg: {
    FixedVectorType *ty = op == Op::I8X16Neg   ? i8x16()
                          : op == Op::I16X8Neg ? i16x8()
                          : op == Op::I32X4Neg ? i32x4()
                                               : i64x2();
    return unary(ty, [&](Value *v) { return b.CreateNeg(v); });
  }
  case Op::F32X4Neg:
    return unary(f32x4(), [&](Value *v) { return b.CreateFNeg(v); });
  case Op::F64X2Neg:
    return unary(f64x2(), [&](Value *v) { return b.CreateFNeg(v); });

  case Op::I8X16NarrowI16X8S:
    return narrow(i16x8(), i8x16(), -128, 127);
  case Op::I8X16NarrowI16X8U:
    return narrow(i16x8(), i8x16(), 0, 255);
  case Op::I16X8NarrowI32X4S:
    return narrow(i32x4(), i16x8(), -32768, 32767);
  case Op::I16X8NarrowI32X4U:
    return narrow(i32x4(), i16x8(), 0, 65535);
  case Op::I8X16AvgrU:
    return avgrU(i8x16());
  case Op::I16X8AvgrU:
    return avgrU(i16x8());

  // (x * y + 2^14) >> 15, saturated; only -32768 * -32768 leaves the i16 range.
  case Op::I16X8Q15mulrSatS:
    return binary(i16x8(), [&](Value *x, Value *y) {
      FixedVectorType *wideTy = widened(i16x8());
      Value *p = b.CreateMul(b.CreateSExt(x, wideTy), b.CreateSExt(y, wideTy));
      p = b.CreateAShr(b.CreateAdd(p, splatInt(wideTy, 0x4000)), splatInt(wideTy, 15));
      p = intrinsic(Intr::smin, {wideTy}, {p, splatInt(wideTy, 32767)});
      return b.CreateTrunc(p, i16x8());
    });
  // Sums of adjacent products; the one overflowing case wraps, as the spec says.
  case Op::I32X4DotI16X8S:
    return binary(i16x8(), [&](Value *x, Value *y) {
      FixedVectorType *wideTy = widened(i16x8());
      Value *p = b.CreateMul(b.CreateSExt(x, wideTy), b.CreateSExt(y, wideTy));
      return b.CreateAdd(strided(p, 0), strided(p, 1));
    });

  case Op::F32X4PMin:
    return pminmax(f32x4(), false);
  case Op::F32X4PMax:
    return pminmax(f32x4(), true);
  case Op::F64X2PMin:
    return pminmax(f64x2(), false);
  case Op::F64X2PMax:
    return pminmax(f64x2(), true);

  case Op::F32X4ConvertI32X4S:
    return unary(i32x4(), [&](Value *v) { return b.CreateSIToFP(v, f32x4()); });
  case Op::F32X4ConvertI32X4U:
    return unary(i32x4(), [&](Value *v) { return b.CreateUIToFP(v, f32x4()); });
  case Op::I32X4TruncSatF32X4S:
  case Op::I32X4TruncSatF32X4U: {
    auto id = op == Op::I32X4TruncSatF32X4S ? Intr::fptosi_sat : Intr::fptoui_sat;
    return unary(f32x4(), [&](Value *v) { return intrinsic(id, {i32x4(), f32x4()}, {v}); });
  }
  case Op::I32X4TruncSatF64X2SZero:
  case Op::I32X4TruncSatF64X2UZero: {
    auto id = op == Op::I32X4TruncSatF64X2SZero ? Intr::fptosi_sat : Intr::fptoui_sat;
    return unary(f64x2(), [&](Value *v) {
      return concat(intrinsic(id, {vec(t.i32(), 2), f64x2()}, {v}));
    });
  }
  case Op::F64X2ConvertLowI32X4S:
    return unary(i32x4(), [&](Value *v) { return b.CreateSIToFP(slice(v, 0, 2), f64x2()); });
  case Op::F64X2ConvertLowI32X4U:
    return unary(i32x4(), [&](Value *v) { return b.CreateUIToFP(slice(v, 0, 2), f64x2()); });
  case Op::F32X4DemoteF64X2Zero:
    return unary(f64x2(), [&](Value *v) { return concat(b.CreateFPTrunc(v, vec(t.f32(), 2))); });
  case Op::F64X2PromoteLowF32X4:
    return unary(f32x4(), [&](Value *v) { return b.CreateFPExt(slice(v, 0, 2), f64x2()); });

  // Relaxed SIMD: each operator gets one fixed lowering among those the spec allows, so results
  // are the same on every run and every device (docs/ARCHITECTURE.md lists the choices).
  // Swizzle, truncation, min/max and q15mulr behave as their strict counterparts.
  case Op::I8X16RelaxedSwizzle:
    return emitOperator(Op::I8X16Swizzle);
  case Op::I32X4RelaxedTruncF32X4S:
    return emitOperator(Op::I32X4TruncSatF32X4S);
  case Op::I32X4RelaxedTruncF32X4U:
    return emitOperator(Op::I32X4TruncSatF32X4U);
  case Op::I32X4RelaxedTruncF64X2SZero:
    return emitOperator(Op::I32X4TruncSatF64X2SZero);
  case Op::I32X4RelaxedTruncF64X2UZero:
    return emitOperator(Op::I32X4TruncSatF64X2UZero);
  case Op::F32X4RelaxedMin:
    return emitOperator(Op::F32X4Min);
  case Op::F32X4RelaxedMax:
    return emitOperator(Op::F32X4Max);
  case Op::F64X2RelaxedMin:
    return emitOperator(Op::F64X2Min);
  case Op::F64X2RelaxedMax:
    return emitOperator(Op::F64X2Max);
  case Op::I16X8RelaxedQ15mulrS:
    return emitOperator(Op::I16X8Q15mulrSatS);
  // The lane select is a bit select (the spec allows either where the mask lane is not all ones
  // or all zeros).
  case Op::I8X16RelaxedLaneSelect:
  case Op::I16X8RelaxedLaneSelect:
  case Op::I32X4RelaxedLaneSelect:
  case Op::I64X2RelaxedLaneSelect:
    return emitOperator(Op::V128BitSelect);
  // madd is always fused (one rounding): llvm.fma, a single FMA instruction where the host has
  // one. nmadd is fma(-a, b, c).
  case Op::F32X4RelaxedMadd:
  case Op::F32X4RelaxedNmadd:
  case Op::F64X2RelaxedMadd:
  case Op::F64X2RelaxedNmadd: {
    bool is32 = op == Op::F32X4RelaxedMadd || op == Op::F32X4RelaxedNmadd;
    bool negate = op == Op::F32X4RelaxedNmadd || op == Op::F64X2RelaxedNmadd;
    FixedVectorType *ty = is32 ? f32x4() : f64x2();
    Value *c = popAs(ty);
    Value *y = popAs(ty);
    Value *x = popAs(ty);
    if (negate)
      x = b.CreateFNeg(x);
    return pushV128(intrinsic(Intr::fma, {ty}, {x, y, c}));
  }
  // Both operands signed (the spec lets the second one be either where its top bit is set);
  // pair sums wrap to 16 bits.
  case Op::I16X8DotI8X16I7X16S:
    return binary(i8x16(), [&](Value *x, Value *y) { return dotI8Pairs(x, y); });
  case Op::I32X4DotI8X16I7X16AddS: {
    Value *acc = popAs(i32x4());
    Value *y = popAs(i8x16());
    Value *x = popAs(i8x16());
    Value *pairs = b.CreateSExt(dotI8Pairs(x, y), vec(t.i32(), 8));
    return pushV128(b.CreateAdd(b.CreateAdd(strided(pairs, 0), strided(pairs, 1)), acc));
  }

  default:
    return unsupported(op);
  }
}

void SimdEmitter::emitConst(const wabt::ConstExpr &e) {
  const wabt::Const &c = e.const_;
  if (c.type() != wabt::Type::V128)
    return t.fail("non-v128 constant routed to the SIMD emitter");
  std::array<llvm::Constant *, 4> lanes;
  for (int i = 0; i < 4; ++i)
    lanes[i] = b.getInt32(c.vec128().u32(i));
  t.push(llvm::ConstantVector::get(lanes));
}

void SimdEmitter::emitLoad(Op op, uint64_t offset) {
  auto loadExtend = [&](llvm::Type *laneTy, bool isSigned) {
    FixedVectorType *ty = vec(laneTy, 64 / laneTy->getPrimitiveSizeInBits());
    Value *v = load(ty, address(offset, 8));
    pushV128(extend(v, widened(ty), isSigned));
  };
  auto loadSplat = [&](llvm::Type *laneTy) {
    unsigned bytes = laneTy->getPrimitiveSizeInBits() / 8;
    Value *v = load(laneTy, address(offset, bytes));
    pushV128(b.CreateVectorSplat(16 / bytes, v));
  };
  auto loadZero = [&](llvm::Type *laneTy) {
    unsigned bytes = laneTy->getPrimitiveSizeInBits() / 8;
    Value *v = load(laneTy, address(offset, bytes));
    pushV128(b.CreateInsertElement(zero(vec(laneTy, 16 / bytes)), v, uint64_t(0)));
  };
  switch (op) {
  case Op::V128Load:
    return t.push(load(t.v128(), address(offset, 16)));
  case Op::V128Load8X8S:
    return loadExtend(t.i8(), true);
  case Op::V128Load8X8U:
    return loadExtend(t.i8(), false);
  case Op::V128Load16X4S:
    return loadExtend(t.i16(), true);
  case Op::V128Load16X4U:
    return loadExtend(t.i16(), false);
  case Op::V128Load32X2S:
    return loadExtend(t.i32(), true);
  case Op::V128Load32X2U:
    return loadExtend(t.i32(), false);
  case Op::V128Load8Splat:
    return loadSplat(t.i8());
  case Op::V128Load16Splat:
    return loadSplat(t.i16());
  case Op::V128Load32Splat:
    return loadSplat(t.i32());
  case Op::V128Load64Splat:
    return loadSplat(t.i64());
  case Op::V128Load32Zero:
    return loadZero(t.i32());
  case Op::V128Load64Zero:
    return loadZero(t.i64());
  default:
    return unsupported(op);
  }
}

void SimdEmitter::emitStore(Op op, uint64_t offset) {
  if (op != Op::V128Store)
    return unsupported(op);
  Value *v = t.pop();
  store(v, address(offset, 16));
}

void SimdEmitter::emitLoadLane(const wabt::SimdLoadLaneExpr &e) {
  unsigned bytes = static_cast<unsigned>(e.opcode.GetMemorySize());
  FixedVectorType *ty = vec(b.getIntNTy(bytes * 8), 16 / bytes);
  Value *v = popAs(ty);
  Value *lane = load(ty->getElementType(), address(e.offset, bytes));
  pushV128(b.CreateInsertElement(v, lane, e.val));
}

void SimdEmitter::emitStoreLane(const wabt::SimdStoreLaneExpr &e) {
  unsigned bytes = static_cast<unsigned>(e.opcode.GetMemorySize());
  FixedVectorType *ty = vec(b.getIntNTy(bytes * 8), 16 / bytes);
  Value *v = popAs(ty);
  // The lane first: the address's bounds test may branch, and the store must see the lane.
  Value *lane = b.CreateExtractElement(v, e.val);
  store(lane, address(e.offset, bytes));
}

void SimdEmitter::emitExtractReplace(const wabt::SimdLaneOpExpr &e) {
  uint64_t lane = e.val;
  auto extract = [&](FixedVectorType *ty, bool widen, bool isSigned) {
    Value *x = b.CreateExtractElement(popAs(ty), lane);
    t.push(widen ? extend(x, t.i32(), isSigned) : x);
  };
  auto replace = [&](FixedVectorType *ty) {
    Value *x = t.pop();
    Value *v = popAs(ty);
    if (x->getType() != ty->getElementType())
      x = b.CreateTrunc(x, ty->getElementType());
    pushV128(b.CreateInsertElement(v, x, lane));
  };
  switch (e.opcode) {
  case Op::I8X16ExtractLaneS:
    return extract(i8x16(), true, true);
  case Op::I8X16ExtractLaneU:
    return extract(i8x16(), true, false);
  case Op::I16X8ExtractLaneS:
    return extract(i16x8(), true, true);
  case Op::I16X8ExtractLaneU:
    return extract(i16x8(), true, false);
  case Op::I32X4ExtractLane:
    return extract(i32x4(), false, false);
  case Op::I64X2ExtractLane:
    return extract(i64x2(), false, false);
  case Op::F32X4ExtractLane:
    return extract(f32x4(), false, false);
  case Op::F64X2ExtractLane:
    return extract(f64x2(), false, false);
  case Op::I8X16ReplaceLane:
    return replace(i8x16());
  case Op::I16X8ReplaceLane:
    return replace(i16x8());
  case Op::I32X4ReplaceLane:
    return replace(i32x4());
  case Op::I64X2ReplaceLane:
    return replace(i64x2());
  case Op::F32X4ReplaceLane:
    return replace(f32x4());
  case Op::F64X2ReplaceLane:
    return replace(f64x2());
  default:
    return unsupported(e.opcode);
  }
}

void SimdEmitter::emitShuffle(const wabt::SimdShuffleOpExpr &e) {
  if (e.opcode != Op::I8X16Shuffle)
    return unsupported(e.opcode);
  Value *y = popAs(i8x16());
  Value *x = popAs(i8x16());
  std::array<int, 16> mask;
  // Validation guarantees every index is below 32.
  for (int i = 0; i < 16; ++i)
    mask[i] = e.val.u8(i);
  pushV128(b.CreateShuffleVector(x, y, mask));
}

// Float-lane arithmetic must give the canonical NaN on devices whose hardware NaN differs (see
// TargetPolicy::canonicalizesNaN); yieldsArithmeticNaN says which operators that is.
void SimdEmitter::canonicalizeArithmeticNaN(wabt::Opcode op) {
  if (!yieldsArithmeticNaN(op))
    return;
  bool f32 = std::string_view(op.GetName()).starts_with("f32x4.");
  llvm::Type *lanes =
      f32 ? llvm::FixedVectorType::get(t.f32(), 4) : llvm::FixedVectorType::get(t.f64(), 2);
  llvm::Value *v = t.b.CreateBitCast(t.pop(), lanes);
  t.push(t.b.CreateBitCast(t.canonicalizeNaN(v), t.v128()));
}

void SimdEmitter::emit(const wabt::Expr &e) {
  using wabt::ExprType;
  switch (e.type()) {
  case ExprType::Const:
    return emitConst(*wabt::cast<wabt::ConstExpr>(&e));
  case ExprType::Load:
    return emitLoadOf(*wabt::cast<wabt::LoadExpr>(&e));
  case ExprType::LoadSplat:
    return emitLoadOf(*wabt::cast<wabt::LoadSplatExpr>(&e));
  case ExprType::LoadZero:
    return emitLoadOf(*wabt::cast<wabt::LoadZeroExpr>(&e));
  case ExprType::Store: {
    const auto *s = wabt::cast<wabt::StoreExpr>(&e);
    if ((mem_ = t.memoryOperand(s->memidx)))
      emitStore(s->opcode, s->offset);
    return;
  }
  case ExprType::SimdLoadLane: {
    const auto *l = wabt::cast<wabt::SimdLoadLaneExpr>(&e);
    if ((mem_ = t.memoryOperand(l->memidx)))
      emitLoadLane(*l);
    return;
  }
  case ExprType::SimdStoreLane: {
    const auto *s = wabt::cast<wabt::SimdStoreLaneExpr>(&e);
    if ((mem_ = t.memoryOperand(s->memidx)))
      emitStoreLane(*s);
    return;
  }
  case ExprType::SimdLaneOp:
    return emitExtractReplace(*wabt::cast<wabt::SimdLaneOpExpr>(&e));
  case ExprType::SimdShuffleOp:
    return emitShuffle(*wabt::cast<wabt::SimdShuffleOpExpr>(&e));
  case ExprType::Unary:
  case ExprType::Binary:
  case ExprType::Compare:
  case ExprType::Convert:
  case ExprType::Ternary:
    // The opcode alone fixes the operands; wabt's grouping into expression kinds does not matter.
    emitOperator(exprOpcode(e));
    if (t.policy.canonicalizesNaN() && !t.error)
      canonicalizeArithmeticNaN(exprOpcode(e));
    return;
  default:
    t.fail(std::string("unexpected expression in the SIMD emitter: ") + wabt::GetExprTypeName(e));
  }
}

} // namespace

void emitSimd(FunctionTranslator &t, const wabt::Expr &e) { SimdEmitter(t).emit(e); }

} // namespace parawasm::compile

// yieldsArithmeticNaN, the one rule for which scalar and SIMD results a device canonicalises.
#include "compile/nan_rule.h"

#include <gtest/gtest.h>

using parawasm::compile::yieldsArithmeticNaN;
using Op = wabt::Opcode;

namespace {

TEST(NanRuleTest, ArithmeticIsCanonicalised) {
  for (Op op : {Op::F32Add, Op::F64Div, Op::F32Sqrt, Op::F64Nearest, Op::F32DemoteF64,
                Op::F64PromoteF32, Op::F32X4Mul, Op::F64X2Min, Op::F32X4DemoteF64X2Zero,
                Op::F64X2PromoteLowF32X4, Op::F32X4RelaxedMadd, Op::F64X2RelaxedMax})
    EXPECT_TRUE(yieldsArithmeticNaN(op)) << Op(op).GetName();
}

TEST(NanRuleTest, BitOperationsKeepTheirPayload) {
  for (Op op : {Op::F32Abs, Op::F64Neg, Op::F32Copysign, Op::F64ReinterpretI64, Op::F32X4Abs,
                Op::F64X2Neg, Op::F32X4PMin, Op::F64X2PMax, Op::F32X4Splat})
    EXPECT_FALSE(yieldsArithmeticNaN(op)) << Op(op).GetName();
}

TEST(NanRuleTest, MasksIntegersAndConversionsFromIntegersAreNotFloatsToCanonicalise) {
  // A comparison's true lane is all ones, a NaN pattern that canonicalising would destroy.
  for (Op op : {Op::F32X4Eq, Op::F64X2Lt, Op::F32Eq, Op::I32Add, Op::I32X4TruncSatF32X4S,
                Op::F32ConvertI32S, Op::F64ConvertI64U, Op::F32X4ConvertI32X4U})
    EXPECT_FALSE(yieldsArithmeticNaN(op)) << Op(op).GetName();
}

} // namespace

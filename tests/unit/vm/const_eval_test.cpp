// vm::evalConst, the one evaluator of constant expressions: at instantiation (every reference
// resolves) and in the GPU lowering (function references and extended expressions do not).
#include "vm/module_info.h"

#include <gtest/gtest.h>

using namespace parawasm;

namespace {

vm::ConstExpr extended(ValType type, std::vector<vm::ConstOp> ops) {
  vm::ConstExpr c;
  c.kind = vm::ConstExpr::Kind::Extended;
  c.value.type = type;
  c.ops = std::move(ops);
  return c;
}

vm::ConstOp push(Val v) {
  vm::ConstOp op;
  op.value = v;
  return op;
}
vm::ConstOp global(uint32_t i) {
  vm::ConstOp op;
  op.code = vm::ConstOp::Code::GlobalGet;
  op.index = i;
  return op;
}
vm::ConstOp combine(vm::ConstOp::Code code, ValType type) {
  vm::ConstOp op;
  op.code = code;
  op.value.type = type;
  return op;
}

vm::ConstResolver everything() {
  vm::ConstResolver r;
  r.global = [](uint32_t i) -> std::optional<Val> { return Val::makeI32(int32_t(i) * 10); };
  r.funcRef = [](uint32_t) -> std::optional<Val> {
    return Val::makeRef(ValType::FuncRef, nullptr);
  };
  return r;
}

TEST(ConstEvalTest, PlainKinds) {
  vm::ConstExpr c;
  c.value = Val::makeI64(-7);
  EXPECT_EQ(vm::evalConst(c, {})->of.i64, -7);
  c.kind = vm::ConstExpr::Kind::GlobalGet;
  c.index = 3;
  EXPECT_EQ(vm::evalConst(c, everything())->of.i32, 30);
  EXPECT_FALSE(vm::evalConst(c, {})); // no resolver for globals: no value
  c.kind = vm::ConstExpr::Kind::RefFunc;
  EXPECT_TRUE(vm::evalConst(c, everything()));
  EXPECT_FALSE(vm::evalConst(c, {}));
}

TEST(ConstEvalTest, ExtendedWrapsAndReadsGlobals) {
  using Code = vm::ConstOp::Code;
  // global 2 (20) * 3 - i32.max, wrapping: 60 - 0x7fffffff
  auto c =
      extended(ValType::I32, {global(2), push(Val::makeI32(3)), combine(Code::Mul, ValType::I32),
                              push(Val::makeI32(0x7fffffff)), combine(Code::Sub, ValType::I32)});
  EXPECT_EQ(uint32_t(vm::evalConst(c, everything())->of.i32), uint32_t(60 - 0x7fffffffu));
  auto wide = extended(ValType::I64, {push(Val::makeI64(INT64_MAX)), push(Val::makeI64(1)),
                                      combine(Code::Add, ValType::I64)});
  EXPECT_EQ(vm::evalConst(wide, {})->of.i64, INT64_MIN);

  vm::ConstResolver gpu = everything();
  gpu.extended = false;
  EXPECT_FALSE(vm::evalConst(wide, gpu));
  vm::ConstResolver noGlobals;
  EXPECT_FALSE(vm::evalConst(c, noGlobals));
}

} // namespace

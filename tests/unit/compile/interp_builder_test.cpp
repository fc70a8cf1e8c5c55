// The interpreter tier's code builder (src/compile/interp_builder.cpp): what each branch keeps
// and drops, which loops compiled code can be entered at, what the interpreter refuses, and the
// exception test after calls. The code is checked operator by operator; running it is
// tests/unit/api/interpreter_test.cpp's and the wast.interp tests' part.
#include "compile/interp_builder.h"
#include "wasm/loaded_module.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace parawasm::compile {
namespace {

using vm::InterpInstr;
using vm::InterpOp;

wasm::LoadedModule load(const std::string &text) {
  auto loaded = wasm::loadText(text, "interp_builder_test.wat");
  EXPECT_TRUE(loaded.ok()) << loaded.error().message();
  return std::move(*loaded);
}

InterpBuild build(const wasm::LoadedModule &m, uint32_t func) {
  return buildInterpCode(*m.ir, m.info, func);
}

std::vector<InterpOp> ops(const vm::InterpCode &code) {
  std::vector<InterpOp> out;
  for (const InterpInstr &in : code.code)
    out.push_back(in.op);
  return out;
}

TEST(InterpBuilder, BranchesKeepTheLabelsArityAndDropWhatIsBelow) {
  auto m = load(R"((module (func (param i32) (result i32)
    (block $b (result i32)
      (i32.const 7) (i32.const 8) (i32.const 9)
      (br_if $b (local.get 0))
      (drop) (drop))
    (i32.const 1) (i32.add))))");
  InterpBuild b = build(m, 0);
  ASSERT_TRUE(b.code);
  const auto &code = b.code->code;
  EXPECT_EQ(ops(*b.code), (std::vector<InterpOp>{InterpOp::Const, InterpOp::Const, InterpOp::Const,
                                                 InterpOp::LocalGet, InterpOp::BrIf, InterpOp::Drop,
                                                 InterpOp::Drop, InterpOp::Const, InterpOp::I32Add,
                                                 InterpOp::Return}));
  const InterpInstr &brIf = code[4];
  EXPECT_EQ(brIf.c, 1u); // the block's one result: 9
  EXPECT_EQ(brIf.b, 2u); // 7 and 8 dropped below it
  EXPECT_EQ(brIf.a, 7u); // to the block's end: the i32.const 1
  EXPECT_EQ(b.code->numParams, 1u);
  EXPECT_EQ(b.code->numLocals, 1u);
  EXPECT_EQ(b.code->maxStack, 4u); // 7, 8, 9 and the condition
}

TEST(InterpBuilder, OnlyLoopsOverAnEmptyOperandStackCanBeEntered) {
  auto m = load(R"((module (func (param i32) (result i32)
    (loop $a (br_if $a (i32.eqz (local.get 0))))
    (i32.const 5)
    (loop $b (result i32) (br_if $b (i32.eqz (local.get 0))) (i32.const 1))
    (i32.add)
    (i32.const 0)
    (loop $c (param i32) (result i32) (br_if $c (i32.eqz (local.get 0))))
    (i32.add))))");
  InterpBuild b = build(m, 0);
  ASSERT_TRUE(b.code);
  std::vector<uint16_t> enterable;
  for (const InterpInstr &in : b.code->code)
    if (in.op == InterpOp::LoopHead)
      enterable.push_back(in.c);
  EXPECT_EQ(enterable, (std::vector<uint16_t>{1, 0, 0})); // $b has 5 below it, $c a parameter
  EXPECT_EQ(b.code->numLoops, 3u);
  ASSERT_EQ(b.loops.size(), 3u);
  for (const wabt::Expr *loop : b.loops)
    EXPECT_EQ(loop->type(), wabt::ExprType::Loop);
  // A branch back to a loop goes to its header and keeps its parameters: none for $b (the 5
  // below it stays, nothing dropped), one for $c.
  std::vector<uint32_t> heads;
  for (uint32_t pc = 0; pc < b.code->code.size(); ++pc)
    if (b.code->code[pc].op == InterpOp::LoopHead)
      heads.push_back(pc);
  auto branchAfter = [&](uint32_t pc) {
    while (b.code->code[pc].op != InterpOp::BrIf)
      ++pc;
    return b.code->code[pc];
  };
  InterpInstr toB = branchAfter(heads[1]), toC = branchAfter(heads[2]);
  EXPECT_EQ(toB.a, heads[1]);
  EXPECT_EQ(toB.c, 0u);
  EXPECT_EQ(toB.b, 0u);
  EXPECT_EQ(toC.a, heads[2]);
  EXPECT_EQ(toC.c, 1u);
  EXPECT_EQ(toC.b, 0u);
}

TEST(InterpBuilder, RefusesWhatTheInterpreterDoesNotHave) {
  std::string nested = "(module (func";
  for (int i = 0; i < 201; ++i)
    nested += " (block";
  nested += std::string(201, ')') + "))";
  for (const std::string &text :
       {std::string(
            R"((module (func (result i32) (i32x4.extract_lane 0 (v128.const i64x2 1 2)))))"),
        std::string(R"((module (memory 1 1 shared)
             (func (result i32) (i32.atomic.load (i32.const 0)))))"),
        std::string(R"((module (func (result funcref) (ref.null func))))"),
        std::string(R"((module (func $f (result i32) (return_call $f))))"),
        std::string(R"((module (memory i64 1) (func (result i32) (i32.load (i64.const 0)))))"),
        std::string(R"((module (memory 1) (data "x") (func (memory.init 0 (i32.const 0)
             (i32.const 0) (i32.const 1)))))"),
        nested}) {
    auto m = load(text);
    EXPECT_FALSE(build(m, 0).code) << text.substr(0, 80);
  }
  // 200 levels are interpreted.
  std::string fine = "(module (func";
  for (int i = 0; i < 199; ++i)
    fine += " (block";
  fine += std::string(199, ')') + "))";
  EXPECT_TRUE(build(load(fine), 0).code);
}

TEST(InterpBuilder, CallsThatMayThrowAreFollowedByTheExceptionTest) {
  // An import from a module that may be Wasm: an exception may pass through this one.
  auto m = load(R"((module (import "other" "f" (func $f))
    (func $g)
    (table 1 funcref)
    (func (call $f) (call $g) (call_indirect (i32.const 0)))))");
  ASSERT_TRUE(m.info.checksExceptions);
  InterpBuild b = build(m, 2);
  ASSERT_TRUE(b.code);
  EXPECT_EQ(ops(*b.code),
            (std::vector<InterpOp>{InterpOp::Call, InterpOp::CheckException, InterpOp::Call,
                                   InterpOp::Const, InterpOp::CallIndirect,
                                   InterpOp::CheckException, InterpOp::Return}));
}

} // namespace
} // namespace parawasm::compile

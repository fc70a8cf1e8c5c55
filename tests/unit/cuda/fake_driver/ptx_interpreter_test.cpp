// The fake driver's PTX interpreter (ptx_interpreter.h) on hand-written PTX: each test's kernel
// writes what it computed into a buffer the test then reads, with PTX's rules (not the host's)
// as the expected values, and every error path ends the launch with the driver's error code.
#include "ptx_interpreter.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace {

// PTX around a kernel body: entry `k(.param .u64 k_param_0)`, the buffer in %rd1.
std::string kernel(const std::string &regs, const std::string &body, const std::string &more = "") {
  return ".version 7.8\n.target sm_90\n.address_size 64\n" + more +
         "\n.visible .entry k(\n\t.param .u64 k_param_0\n)\n{\n\t.reg .b64 %rd<2>;\n" + regs +
         "\tld.param.u64 %rd1, [k_param_0];\n" + body + "\tret;\n}\n";
}

struct Launch {
  pwfake::PtxRunResult result;
  std::vector<uint32_t> out;
};

Launch run(const std::string &ptx, size_t words = 16, unsigned grid = 1, unsigned block = 1) {
  pwfake::PtxParse parsed = pwfake::parsePtx(ptx);
  EXPECT_TRUE(parsed.module) << parsed.error;
  Launch r;
  r.out.assign(words, 0xeeeeeeeeu);
  if (!parsed.module)
    return r;
  uint64_t buffer = reinterpret_cast<uint64_t>(r.out.data());
  void *params[] = {&buffer};
  r.result = pwfake::runPtxKernel(*parsed.module, "k", grid, block, params,
                                  {{buffer, words * sizeof(uint32_t)}});
  return r;
}

uint32_t bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

TEST(PtxInterpreter, EveryThreadOfTheGridRuns) {
  Launch r =
      run(kernel("\t.reg .b32 %r<6>;\n\t.reg .b64 %rd<4>;\n",
                 "\tmov.u32 %r1, %tid.x;\n\tmov.u32 %r2, %ntid.x;\n\tmov.u32 %r3, %ctaid.x;\n"
                 "\tmad.lo.s32 %r4, %r3, %r2, %r1;\n\tmul.wide.u32 %rd2, %r4, 4;\n"
                 "\tadd.s64 %rd3, %rd1, %rd2;\n\tadd.s32 %r5, %r4, 100;\n"
                 "\tst.global.u32 [%rd3], %r5;\n"),
          12, 3, 4);
  ASSERT_EQ(r.result.status, 0) << r.result.message;
  for (uint32_t i = 0; i < 12; ++i)
    EXPECT_EQ(r.out[i], 100 + i);
}

TEST(PtxInterpreter, IntegerInstructionsFollowPtx) {
  Launch r = run(kernel("\t.reg .b32 %r<20>;\n\t.reg .b64 %rd<8>;\n\t.reg .b16 %rs<2>;\n",
                        // bfe.s32 of bits 4..11 of 0x00000f80: 0xf8, sign-extended
                        "\tbfe.s32 %r1, 3968, 4, 8;\n\tst.global.u32 [%rd1], %r1;\n"
                        // shf.l.wrap (rotate left by 36 = 4): 0x12345678 -> 0x23456781
                        "\tshf.l.wrap.b32 %r2, 305419896, 305419896, 36;\n"
                        "\tst.global.u32 [%rd1+4], %r2;\n"
                        // prmt: bytes 3,2,1,0 of a reversed
                        "\tprmt.b32 %r3, 305419896, 0, 291;\n\tst.global.u32 [%rd1+8], %r3;\n"
                        // shl by 40 on 32 bits: 0
                        "\tshl.b32 %r4, 1, 40;\n\tst.global.u32 [%rd1+12], %r4;\n"
                        // shr.s32 by 40 of -8: -1
                        "\tshr.s32 %r5, -8, 40;\n\tst.global.u32 [%rd1+16], %r5;\n"
                        // mul.hi.s32 of -2^31 and 3: -2
                        "\tmul.hi.s32 %r6, -2147483648, 3;\n\tst.global.u32 [%rd1+20], %r6;\n"
                        "\tpopc.b32 %r7, 255;\n\tst.global.u32 [%rd1+24], %r7;\n"
                        "\tclz.b32 %r8, 1;\n\tst.global.u32 [%rd1+28], %r8;\n"
                        "\tbrev.b32 %r9, 1;\n\tst.global.u32 [%rd1+32], %r9;\n"
                        "\tdiv.s32 %r10, -7, 2;\n\tst.global.u32 [%rd1+36], %r10;\n"
                        "\trem.s32 %r11, -7, 2;\n\tst.global.u32 [%rd1+40], %r11;\n"
                        // a signed byte load sign-extends
                        "\tst.global.u8 [%rd1+44], 200;\n\tld.global.s8 %r12, [%rd1+44];\n"
                        "\tst.global.u32 [%rd1+48], %r12;\n"
                        // an s8 result fills its 16-bit register with its sign: 0xffff
                        "\tmov.u32 %r15, 2147483647;\n\tcvt.s8.s32 %rs1, %r15;\n"
                        "\tst.global.u16 [%rd1+52], %rs1;\n"
                        // the unpacking mov
                        "\tmov.b64 %rd2, 81985529216486895;\n\tmov.b64 {%r13, %r14}, %rd2;\n"
                        "\tst.global.v2.u32 [%rd1+56], {%r13, %r14};\n"),
                 16);
  ASSERT_EQ(r.result.status, 0) << r.result.message;
  EXPECT_EQ(r.out[0], 0xfffffff8u);
  EXPECT_EQ(r.out[1], 0x23456781u);
  EXPECT_EQ(r.out[2], 0x78563412u);
  EXPECT_EQ(r.out[3], 0u);
  EXPECT_EQ(r.out[4], 0xffffffffu);
  EXPECT_EQ(r.out[5], 0xfffffffeu);
  EXPECT_EQ(r.out[6], 8u);
  EXPECT_EQ(r.out[7], 31u);
  EXPECT_EQ(r.out[8], 0x80000000u);
  EXPECT_EQ(r.out[9], uint32_t(-3));
  EXPECT_EQ(r.out[10], uint32_t(-1));
  EXPECT_EQ(r.out[12], uint32_t(-56));
  EXPECT_EQ(r.out[13], 0xeeeeffffu);
  EXPECT_EQ(r.out[14], 0x89abcdefu); // 0x0123456789abcdef: low half first
  EXPECT_EQ(r.out[15], 0x01234567u);
}

TEST(PtxInterpreter, FloatingPointIsAGpus) {
  Launch r =
      run(kernel("\t.reg .b32 %r<20>;\n\t.reg .f32 %f<20>;\n\t.reg .pred %p<4>;\n",
                 // NaN + 1: the canonical NaN 0x7fffffff, whatever the input's payload
                 "\tadd.rn.f32 %f1, 0fFFC00001, 0f3F800000;\n\tst.global.f32 [%rd1], %f1;\n"
                 // min with one NaN: the number; min(+0, -0): -0
                 "\tmin.f32 %f2, 0f7FC00000, 0f40000000;\n\tst.global.f32 [%rd1+4], %f2;\n"
                 "\tmin.f32 %f3, 0f00000000, 0f80000000;\n\tst.global.f32 [%rd1+8], %f3;\n"
                 "\tmax.NaN.f32 %f4, 0f7FC00000, 0f40000000;\n\tst.global.f32 [%rd1+12], %f4;\n"
                 // float to int saturates, NaN is 0
                 "\tcvt.rzi.s32.f32 %r1, 0f4F800000;\n\tst.global.u32 [%rd1+16], %r1;\n"
                 "\tcvt.rzi.s32.f32 %r2, 0f7FC00000;\n\tst.global.u32 [%rd1+20], %r2;\n"
                 "\tcvt.rzi.u32.f32 %r3, 0fC0000000;\n\tst.global.u32 [%rd1+24], %r3;\n"
                 // round half to even: 2.5 -> 2
                 "\tcvt.rni.f32.f32 %f5, 0f40200000;\n\tst.global.f32 [%rd1+28], %f5;\n"
                 // unordered compare: NaN < 1 is true for ltu, false for lt
                 "\tsetp.ltu.f32 %p1, 0f7FC00000, 0f3F800000;\n\tselp.u32 %r4, 1, 0, %p1;\n"
                 "\tsetp.lt.f32 %p2, 0f7FC00000, 0f3F800000;\n\tselp.u32 %r5, 1, 0, %p2;\n"
                 "\tst.global.u32 [%rd1+32], %r4;\n\tst.global.u32 [%rd1+36], %r5;\n"
                 // fma rounds once: (1 + 2^-23) * (1 - 2^-23) - 1 = -2^-46
                 "\tfma.rn.f32 %f6, 0f3F800001, 0f3F7FFFFE, 0fBF800000;\n"
                 "\tst.global.f32 [%rd1+40], %f6;\n"
                 // denormals survive without .ftz, flush with it
                 "\tmul.rn.f32 %f7, 0f00000001, 0f3F800000;\n\tst.global.f32 [%rd1+44], %f7;\n"
                 "\tmul.rn.ftz.f32 %f8, 0f00000001, 0f3F800000;\n"
                 "\tst.global.f32 [%rd1+48], %f8;\n"
                 "\tcopysign.f32 %f9, 0fBF800000, 0f40000000;\n\tst.global.f32 [%rd1+52], %f9;\n"
                 "\tsqrt.rn.f32 %f10, 0f40000000;\n\tst.global.f32 [%rd1+56], %f10;\n"),
          16);
  ASSERT_EQ(r.result.status, 0) << r.result.message;
  EXPECT_EQ(r.out[0], 0x7fffffffu);
  EXPECT_EQ(r.out[1], bits(2.0f));
  EXPECT_EQ(r.out[2], 0x80000000u);
  EXPECT_EQ(r.out[3], 0x7fffffffu);
  EXPECT_EQ(r.out[4], 0x7fffffffu);
  EXPECT_EQ(r.out[5], 0u);
  EXPECT_EQ(r.out[6], 0u);
  EXPECT_EQ(r.out[7], bits(2.0f));
  EXPECT_EQ(r.out[8], 1u);
  EXPECT_EQ(r.out[9], 0u);
  EXPECT_EQ(r.out[10], bits(-0x1p-46f));
  EXPECT_EQ(r.out[11], 1u);
  EXPECT_EQ(r.out[12], 0u);
  EXPECT_EQ(r.out[13], bits(-2.0f));
  EXPECT_EQ(r.out[14], bits(1.41421354f));
}

TEST(PtxInterpreter, BranchesLoopsAndAtomics) {
  // sum of 1..10 by a loop into out[0]; atom.add returns the old value; cas swaps only on a match
  Launch r = run(kernel("\t.reg .b32 %r<10>;\n\t.reg .pred %p<3>;\n",
                        "\tmov.u32 %r1, 0;\n\tmov.u32 %r2, 1;\n$L_loop:\n\tadd.s32 %r1, %r1, %r2;\n"
                        "\tadd.s32 %r2, %r2, 1;\n\tsetp.le.s32 %p1, %r2, 10;\n\t@%p1 bra $L_loop;\n"
                        "\tst.global.u32 [%rd1], %r1;\n"
                        "\tst.global.u32 [%rd1+4], 5;\n\tatom.global.add.u32 %r3, [%rd1+4], 7;\n"
                        "\tst.global.u32 [%rd1+8], %r3;\n"
                        "\tatom.global.cas.b32 %r4, [%rd1+4], 99, 1;\n"
                        "\tatom.global.cas.b32 %r5, [%rd1+4], 12, 2;\n"
                        "\tst.global.u32 [%rd1+12], %r4;\n\tst.global.u32 [%rd1+16], %r5;\n"
                        "\t@!%p1 bra $L_end;\n\tst.global.u32 [%rd1+20], 666;\n$L_end:\n"),
                 8);
  ASSERT_EQ(r.result.status, 0) << r.result.message;
  EXPECT_EQ(r.out[0], 55u);
  EXPECT_EQ(r.out[1], 2u);  // 5 + 7 = 12, then swapped for 2
  EXPECT_EQ(r.out[2], 5u);  // atom.add's old value
  EXPECT_EQ(r.out[3], 12u); // cas without a match returns the value and keeps it
  EXPECT_EQ(r.out[4], 12u);
  EXPECT_EQ(r.out[5], 0xeeeeeeeeu); // skipped by the negated guard
}

// LLVM lowers a 64-bit rotate to a block with its own registers, which a branch may target, and
// takes a 64-bit register apart in one whose register has no %.
TEST(PtxInterpreter, BlocksDeclareTheirOwnRegisters) {
  Launch r = run(kernel("\t.reg .b64 %rd<4>;\n\t.reg .b32 %r<2>;\n\t.reg .pred %p<2>;\n",
                        "\tmov.u64 %rd2, 0x0123456789abcdef;\n\tsetp.eq.u64 %p1, %rd2, 0;\n"
                        "\t@%p1 bra $L_end;\n\tbra.uni $L_rotate;\n$L_rotate:\n\t{\n"
                        "\t.reg .b64 %lhs;\n\t.reg .b64 %rhs;\n\tshl.b64 %lhs, %rd2, 40;\n"
                        "\tshr.b64 %rhs, %rd2, 24;\n\tadd.u64 %rd3, %lhs, %rhs;\n\t}\n"
                        "\tst.global.u64 [%rd1], %rd3;\n"
                        // and the high half of a 64-bit register through one named without '%'
                        "\t{ .reg .b32 tmp; mov.b64 {tmp, %r1}, %rd3; }\n"
                        "\tst.global.u32 [%rd1+8], %r1;\n$L_end:\n"),
                 4);
  ASSERT_EQ(r.result.status, 0) << r.result.message;
  EXPECT_EQ(r.out[0] | uint64_t(r.out[1]) << 32, 0xabcdef0123456789ull);
  EXPECT_EQ(r.out[2], 0xabcdef01u);
}

TEST(PtxInterpreter, CallsPassParametersAndLocalMemory) {
  std::string callee =
      ".func (.param .b32 func_retval0) twice_plus(\n\t.param .b32 twice_plus_param_0,"
      "\n\t.param .b64 twice_plus_param_1\n)\n{\n\t.local .align 4 .b8 __local_depot0[8];"
      "\n\t.reg .b64 %SP;\n\t.reg .b32 %r<5>;\n\t.reg .b64 %rd<3>;\n"
      "\tmov.u64 %SP, __local_depot0;\n\tcvta.local.u64 %rd1, %SP;\n"
      "\tld.param.u32 %r1, [twice_plus_param_0];\n"
      "\tld.param.u64 %rd2, [twice_plus_param_1];\n"
      "\tst.u32 [%rd1+4], %r1;\n\tld.u32 %r2, [%rd1+4];\n\tadd.s32 %r3, %r2, %r1;\n"
      "\tld.global.u32 %r4, [%rd2];\n\tadd.s32 %r3, %r3, %r4;\n"
      "\tst.param.b32 [func_retval0], %r3;\n\tret;\n}\n";
  Launch r = run(kernel("\t.reg .b32 %r<4>;\n",
                        "\tst.global.u32 [%rd1+4], 1000;\n"
                        "\t{ // callseq 0, 0\n\t.param .b32 param0;\n\tst.param.b32 [param0], 21;\n"
                        "\t.param .b64 param1;\n\tst.param.b64 [param1], %rd1;\n"
                        "\t.param .b32 retval0;\n\tadd.s64 %rd1, %rd1, 4;\n"
                        "\tst.param.b64 [param1], %rd1;\n\tcall.uni (retval0), \n\ttwice_plus, \n"
                        "\t(\n\tparam0, \n\tparam1\n\t);\n\tld.param.b32 %r1, [retval0];\n\t}\n"
                        "\tst.global.u32 [%rd1+4], %r1;\n",
                        callee),
                 4);
  ASSERT_EQ(r.result.status, 0) << r.result.message;
  EXPECT_EQ(r.out[2], 1042u);
}

TEST(PtxInterpreter, AnAccessOutsideDeviceMemoryIsAnIllegalAddress) {
  Launch r = run(kernel("", "\tst.global.u32 [%rd1+64], 1;\n"), 16);
  EXPECT_EQ(r.result.status, 700);
  EXPECT_NE(r.result.message.find("illegal address: store of 4 bytes"), std::string::npos)
      << r.result.message;
  r = run(kernel("\t.reg .b32 %r<2>;\n", "\tld.global.u32 %r1, [%rd1+-4];\n"), 16);
  EXPECT_EQ(r.result.status, 700);
}

TEST(PtxInterpreter, AMisalignedAccessFails) {
  Launch r = run(kernel("\t.reg .b32 %r<2>;\n", "\tld.global.u32 %r1, [%rd1+2];\n"), 16);
  EXPECT_EQ(r.result.status, 716);
  EXPECT_NE(r.result.message.find("misaligned"), std::string::npos) << r.result.message;
}

TEST(PtxInterpreter, TrapEndsTheLaunch) {
  Launch r = run(kernel("", "\ttrap;\n\tst.global.u32 [%rd1], 1;\n"), 4);
  EXPECT_EQ(r.result.status, 719);
  EXPECT_EQ(r.out[0], 0xeeeeeeeeu);
}

TEST(PtxInterpreter, WhatItDoesNotKnowIsAnErrorNamingTheInstruction) {
  for (const char *body : {"\tbar.sync 0;\n", "\tex2.approx.f32 %f1, %f1;\n",
                           "\tdiv.full.f32 %f1, %f1, %f1;\n", "\tadd.rm.f32 %f1, %f1, %f1;\n"}) {
    Launch r = run(kernel("\t.reg .f32 %f<2>;\n", body), 4);
    EXPECT_EQ(r.result.status, 801) << body;
    EXPECT_NE(r.result.message.find("unsupported instruction"), std::string::npos)
        << r.result.message;
  }
}

TEST(PtxInterpreter, MalformedPtxIsAParseError) {
  EXPECT_FALSE(pwfake::parsePtx(kernel("", "\tbra $L_nowhere;\n")).module);
  EXPECT_FALSE(pwfake::parsePtx(kernel("", "\tmov.u32 %r9, 1;\n")).module); // undeclared
  EXPECT_FALSE(pwfake::parsePtx(".version 7.8\n.visible .entry k(\n{\n").module);
  pwfake::PtxParse ok = pwfake::parsePtx(kernel("", ""));
  ASSERT_TRUE(ok.module) << ok.error;
  EXPECT_TRUE(pwfake::hasEntry(*ok.module, "k"));
  EXPECT_FALSE(pwfake::hasEntry(*ok.module, "other"));
  EXPECT_EQ(pwfake::entryParamSizes(*ok.module, "k"), std::vector<unsigned>{8});
}

} // namespace

// Bad input never crashes or hangs: truncated, mutated, garbage and adversarial modules are
// refused with a clear error (or, when still valid, compile and run normally).
#include "parawasm/parawasm.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

using namespace parawasm;

namespace {

std::vector<uint8_t> leb(uint64_t n) {
  std::vector<uint8_t> out;
  do {
    uint8_t b = n & 0x7f;
    n >>= 7;
    out.push_back(n ? b | 0x80 : b);
  } while (n);
  return out;
}

void append(std::vector<uint8_t> &v, const std::vector<uint8_t> &w) {
  v.insert(v.end(), w.begin(), w.end());
}

std::vector<uint8_t> section(uint8_t id, const std::vector<uint8_t> &payload) {
  std::vector<uint8_t> s{id};
  append(s, leb(payload.size()));
  append(s, payload);
  return s;
}

// (func (export "f") <locals> <body>) with type () -> ().
std::vector<uint8_t> oneFunction(const std::vector<uint8_t> &locals,
                                 const std::vector<uint8_t> &body) {
  std::vector<uint8_t> m{0, 'a', 's', 'm', 1, 0, 0, 0};
  append(m, section(1, {1, 0x60, 0, 0}));
  append(m, section(3, {1, 0}));
  append(m, section(7, {1, 1, 'f', 0, 0}));
  std::vector<uint8_t> code = locals;
  append(code, body);
  code.push_back(0x0b);
  std::vector<uint8_t> payload{1};
  append(payload, leb(code.size()));
  append(payload, code);
  append(m, section(10, payload));
  return m;
}

Engine &fastEngine() {
  static Engine engine(EngineConfig{OptLevel::Fast, false, "", 1});
  return engine;
}

const char *kSample = R"((module
  (memory 1)
  (global $g (mut i32) (i32.const 7))
  (table 2 funcref)
  (elem (i32.const 0) $add $mul)
  (func $add (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func $mul (param i32 i32) (result i32) (i32.mul (local.get 0) (local.get 1)))
  (func (export "run") (param i32) (result i32)
    (local i32)
    (block (loop
      (br_if 1 (i32.eqz (local.get 0)))
      (local.set 1 (call_indirect (param i32 i32) (result i32)
         (local.get 1) (local.get 0) (i32.and (local.get 0) (i32.const 1))))
      (i32.store (local.get 0) (local.get 1))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br 0)))
    (local.get 1))
  (data (i32.const 16) "hello"))
)";

} // namespace

TEST(Robustness, EveryTruncationIsRefusedUnlessASectionEnds) {
  std::vector<uint8_t> full = oneFunction({1, 2, 0x7f}, {0x41, 5, 0x21, 0, 0x20, 0, 0x1a});
  ASSERT_TRUE(Module::fromBinary(fastEngine(), full).ok());
  // A prefix that ends between sections can itself be a valid (smaller) module.
  std::vector<size_t> sectionEnds{8};
  for (size_t pos = 8; pos < full.size();) {
    size_t size = 0, shift = 0, p = pos + 1;
    while (full[p] & 0x80)
      size |= size_t(full[p++] & 0x7f) << shift, shift += 7;
    size |= size_t(full[p++]) << shift;
    pos = p + size;
    sectionEnds.push_back(pos);
  }
  for (size_t len = 0; len < full.size(); ++len) {
    auto m = Module::fromBinary(fastEngine(), std::span(full.data(), len));
    bool atBoundary = std::find(sectionEnds.begin(), sectionEnds.end(), len) != sectionEnds.end();
    if (m.ok()) {
      EXPECT_TRUE(atBoundary) << "truncated to " << len << " bytes was accepted";
      continue;
    }
    EXPECT_TRUE(m.error().kind() == ErrorKind::Malformed || m.error().kind() == ErrorKind::Invalid);
    EXPECT_FALSE(m.error().message().empty());
  }
}

TEST(Robustness, GarbageIsRefusedWithOffset) {
  std::mt19937 rng(42);
  for (int i = 0; i < 300; ++i) {
    std::vector<uint8_t> bytes{0, 'a', 's', 'm', 1, 0, 0, 0};
    size_t n = rng() % 64;
    for (size_t k = 0; k < n; ++k)
      bytes.push_back(uint8_t(rng()));
    auto m = Module::fromBinary(fastEngine(), bytes);
    if (!m.ok()) {
      EXPECT_NE(m.error().message().find(":"), std::string::npos) << m.error().message();
    }
  }
  auto bad = Module::fromBinary(fastEngine(), std::vector<uint8_t>{'n', 'o', 'p', 'e'});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind(), ErrorKind::Malformed);
}

TEST(Robustness, MutatedModulesNeverCrash) {
  auto wat = Module::fromText(fastEngine(), kSample, "sample.wat");
  ASSERT_TRUE(wat.ok()) << wat.error().message();
  // A valid binary to mutate: the same module written by hand would be long, so mutate a
  // compact one with memory, table, element, data, loop and call_indirect.
  std::vector<uint8_t> base =
      oneFunction({1, 1, 0x7f}, {0x02, 0x40, 0x03, 0x40, 0x20, 0, 0x45, 0x0d, 1,    0x20,
                                 0,    0x41, 1,    0x6b, 0x21, 0, 0x0c, 0,    0x0b, 0x0b});
  ASSERT_TRUE(Module::fromBinary(fastEngine(), base).ok());
  std::mt19937 rng(7);
  int accepted = 0;
  for (int i = 0; i < 400; ++i) {
    std::vector<uint8_t> bytes = base;
    int flips = 1 + int(rng() % 3);
    for (int k = 0; k < flips; ++k)
      bytes[8 + rng() % (bytes.size() - 8)] = uint8_t(rng());
    auto m = Module::fromBinary(fastEngine(), bytes);
    if (!m.ok())
      continue;
    ++accepted;
    Linker linker(fastEngine());
    auto inst = linker.instantiate(*m);
    // A mutated loop may never end: only instantiate, never call.
    (void)inst;
  }
  SUCCEED() << accepted << " mutants were still valid";
}

TEST(Robustness, DeepNestingIsAnErrorNotACrash) {
  for (size_t depth : {1000u, 200000u}) {
    std::vector<uint8_t> body;
    for (size_t i = 0; i < depth; ++i)
      append(body, {0x02, 0x40});
    for (size_t i = 0; i < depth; ++i)
      body.push_back(0x0b);
    auto m = Module::fromBinary(fastEngine(), oneFunction({0}, body));
    if (depth == 1000) {
      ASSERT_TRUE(m.ok()) << m.error().message();
    } else {
      ASSERT_FALSE(m.ok());
      EXPECT_NE(m.error().message().find("nested deeper"), std::string::npos)
          << m.error().message();
    }
  }
}

// Issue 17: an implementation limit met by the translator is a refusal (Unsupported), not an
// invalid module, so a device need not guess from the message.
TEST(Robustness, Issue17TranslatorLimitIsUnsupported) {
  std::vector<uint8_t> body;
  for (size_t i = 0; i < 30000; ++i)
    append(body, {0x02, 0x40});
  for (size_t i = 0; i < 30000; ++i)
    body.push_back(0x0b);
  auto m = Module::fromBinary(fastEngine(), oneFunction({0}, body));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().kind(), ErrorKind::Unsupported) << m.error().message();
  EXPECT_NE(m.error().message().find("nested deeper than 20000"), std::string::npos)
      << m.error().message();
}

TEST(Robustness, ManyLocalsCompile) {
  auto m = Module::fromBinary(fastEngine(), oneFunction({1, 0xd0, 0x86, 0x03, 0x7e}, // 50000 i64
                                                        {0x20, 0xcf, 0x86, 0x03, 0x1a}));
  ASSERT_TRUE(m.ok()) << m.error().message();
  Linker linker(fastEngine());
  auto inst = linker.instantiate(*m);
  ASSERT_TRUE(inst.ok());
  EXPECT_TRUE(inst->getFunc("f")->call({}).ok());
  auto tooMany =
      Module::fromBinary(fastEngine(), oneFunction({1, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7e}, {}));
  ASSERT_FALSE(tooMany.ok());
  EXPECT_EQ(tooMany.error().kind(), ErrorKind::Malformed);
}

TEST(Robustness, HugeDeclaredSizesAreRefused) {
  std::vector<uint8_t> mem{0, 'a', 's', 'm', 1, 0, 0, 0};
  append(mem, section(5, {1, 0, 0xf0, 0xa2, 0x04})); // 70000 pages
  auto m = Module::fromBinary(fastEngine(), mem);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("65536"), std::string::npos) << m.error().message();

  std::vector<uint8_t> table{0, 'a', 's', 'm', 1, 0, 0, 0};
  append(table, section(4, {1, 0x70, 0, 0xff, 0xff, 0xff, 0xff, 0x0f}));
  auto t = Module::fromBinary(fastEngine(), table);
  ASSERT_TRUE(t.ok());
  Linker linker(fastEngine());
  auto inst = linker.instantiate(*t);
  ASSERT_FALSE(inst.ok());
  EXPECT_EQ(inst.error().kind(), ErrorKind::Exhaustion);
}

TEST(Robustness, SampleModuleRuns) {
  auto m = Module::fromText(fastEngine(), kSample, "sample.wat");
  ASSERT_TRUE(m.ok());
  Linker linker(fastEngine());
  auto inst = linker.instantiate(*m);
  ASSERT_TRUE(inst.ok()) << inst.error().message();
  auto r = inst->getFunc("run")->call({{Val::makeI32(5)}});
  ASSERT_TRUE(r.ok()) << r.error().message();
  // 5 odd -> mul(0,5)=0, 4 -> add(0,4)=4, 3 -> mul(4,3)=12, 2 -> add=14, 1 -> mul=14
  EXPECT_EQ((*r)[0].of.i32, 14);
}

// wabt 1.0.32 aborted on a global initializer that leaves a block open when a function body
// follows (found by fuzzing; tests/fuzz/regressions/module/global_block_left_open.wasm). Every
// non-constant instruction in a global, element or data initializer is now refused, with its
// offset, before wabt reads the module; every constant one still loads.
TEST(Robustness, NonConstantInitializersAreInvalidNotACrash) {
  auto withGlobal = [](std::vector<uint8_t> init, bool withCode) {
    std::vector<uint8_t> m{0, 'a', 's', 'm', 1, 0, 0, 0};
    if (withCode) {
      append(m, section(1, {1, 0x60, 0, 0}));
      append(m, section(3, {1, 0}));
    }
    std::vector<uint8_t> global{1, 0x7f, 0};
    append(global, init);
    append(m, section(6, global));
    if (withCode)
      append(m, section(10, {1, 2, 0, 0x0b}));
    return m;
  };
  struct Case {
    const char *what;
    std::vector<uint8_t> init;
  };
  const Case refused[] = {
      {"opcode 0x02", {0x02, 0x40}},                      // block left open: wabt aborted
      {"opcode 0x02", {0x41, 0, 0x02, 0x40, 0x0b}},       // after a constant
      {"opcode 0x03", {0x03, 0x40, 0x0b, 0x0b}},          // loop
      {"opcode 0x04", {0x41, 1, 0x04, 0x40, 0x0b}},       // if
      {"opcode 0x28", {0x41, 0, 0x28, 2, 0, 0x0b}},       // i32.load
      {"opcode 0x01", {0x01, 0x41, 0, 0x0b}},             // nop
      {"SIMD instruction 0xfd 0", {0xfd, 0, 0, 0, 0x0b}}, // v128.load
  };
  for (const Case &c : refused)
    for (bool withCode : {false, true}) {
      auto m = Module::fromBinary(fastEngine(), withGlobal(c.init, withCode));
      ASSERT_FALSE(m.ok()) << c.what;
      EXPECT_EQ(m.error().kind(), ErrorKind::Invalid) << m.error().message();
      EXPECT_NE(m.error().message().find(std::string("constant expression required: ") + c.what +
                                         " in a global initializer"),
                std::string::npos)
          << m.error().message();
    }
  // The crash the fuzzer found, byte for byte.
  const std::vector<uint8_t> found{
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0c, 0x02, 0x60, 0x01, 0x7c, 0x01,
      0x7c, 0x60, 0x02, 0x7c, 0x7f, 0x01, 0x7c, 0x03, 0x05, 0x04, 0x00, 0x00, 0x00, 0x01, 0x05,
      0x03, 0x01, 0x00, 0x01, 0x06, 0x0d, 0x01, 0x7c, 0x01, 0xfd, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x02, 0x0b, 0x0a, 0x35, 0x04, 0x0a, 0x01, 0x01, 0x7c, 0x20, 0x00, 0x21, 0x01,
      0x20, 0x01, 0x0b, 0x08, 0x00, 0x20, 0x00, 0x24, 0x00, 0x23, 0x00, 0x0b, 0x0e, 0x00, 0x41,
      0x08, 0x20, 0x00, 0x39, 0x03, 0x00, 0x41, 0x08, 0x2b, 0x03, 0x00, 0x0b, 0x10, 0x00, 0x20,
      0x00, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x03, 0x01, 0x00, 0x1b, 0x0b};
  auto m = Module::fromBinary(fastEngine(), found);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().kind(), ErrorKind::Invalid);

  // Constant initializers of every kind still load: globals (extended constants, v128.const,
  // ref.null, ref.func, global.get), active and passive data, and elements by index and by
  // expression.
  auto ok = Module::fromText(fastEngine(), R"((module
    (global $a (import "m" "g") i32)
    (memory 1) (table 4 funcref)
    (global i64 (i64.add (i64.const 1) (i64.mul (i64.const 2) (i64.const 3))))
    (global i32 (i32.sub (global.get $a) (i32.const -1)))
    (global f32 (f32.const 1.5)) (global f64 (f64.const -2.25))
    (global v128 (v128.const i32x4 1 2 3 4))
    (global funcref (ref.null func)) (global funcref (ref.func $f))
    (func $f)
    (data (i32.const 8) "ab") (data "passive") (data (memory 0) (i32.const 16) "c")
    (elem (i32.const 0) $f) (elem func $f) (elem (table 0) (i32.const 1) func $f)
    (elem declare func $f) (elem (i32.const 2) funcref (ref.func $f) (ref.null func))
    (elem funcref (ref.func $f)) (elem (table 0) (i32.const 3) funcref (ref.null func))
  ))",
                             "constants.wat");
  EXPECT_TRUE(ok.ok()) << ok.error().message();
}

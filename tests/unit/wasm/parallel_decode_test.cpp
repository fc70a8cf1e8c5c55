// A big module is decoded and validated on several threads (src/wasm/loader.cpp,
// readAndValidateInParts): each thread reads a copy of the binary that keeps only its share of
// the function bodies, and the bodies are then moved into one IR. The IR must be the one a
// single thread builds, and a module that fails must fail with the single thread's message,
// wherever the bad body is.
#include "wasm/loaded_module.h"
#include "wasm/wabt_util.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <wabt/ir.h>

namespace parawasm::wasm {
namespace {

constexpr int kFuncs = 3000; // about 1.1 MB of code: four parts of at least 256 KiB

// Functions of varied shape (locals of two types, nested blocks, loops, calls to earlier
// functions, memory traffic), each with a name and named locals for the name section. The last
// one ends with (i32.const 12345) (i32.const 777) i32.add, which the tests below corrupt.
std::string bigModuleText() {
  std::string wat = "(module (memory 1) (global $g (mut i32) (i32.const 0))\n";
  for (int i = 0; i < kFuncs; ++i) {
    std::string n = std::to_string(i);
    wat += "(func $f" + n + " (export \"f" + n + "\") (param $x i32) (result i32) (local $acc i32)";
    wat += " (local $d f64)\n (local.set $acc (i32.const " + n + "))\n";
    wat += " (block $out (loop $top\n";
    for (int k = 0; k < 6 + i % 7; ++k)
      wat += "  (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $x) (i32.const " +
             std::to_string(k + i) + "))))\n  (i32.store (i32.const " + std::to_string(4 * k) +
             ") (local.get $acc))\n  (local.set $d (f64.add (local.get $d) (f64.const 1.5)))\n";
    wat += "  (br_if $out (i32.gt_u (local.get $acc) (i32.const 1000)))\n";
    wat += "  (local.set $x (i32.add (local.get $x) (i32.const 1)))\n";
    wat += "  (br_if $top (i32.lt_u (local.get $x) (i32.const 4)))))\n";
    if (i > 0)
      wat += " (local.set $acc (i32.add (local.get $acc) (call $f" + std::to_string(i / 2) +
             " (i32.const 0))))\n";
    wat += " (global.set $g (local.get $acc))\n";
    if (i == kFuncs - 1)
      wat += " (drop (i32.add (i32.const 12345) (i32.const 777)))\n";
    wat += " (local.get $acc))\n";
  }
  return wat + ")";
}

const std::vector<uint8_t> &bigModule() {
  static const std::vector<uint8_t> bytes = [] {
    auto made = watToWasm(bigModuleText(), "big.wat");
    EXPECT_TRUE(made.ok()) << made.error().message();
    return made.ok() ? *made : std::vector<uint8_t>{};
  }();
  return bytes;
}

// Where (i32.const 12345) (i32.const 777) i32.add starts in the binary.
size_t markerOffset(const std::vector<uint8_t> &bytes) {
  const std::vector<uint8_t> marker{0x41, 0xb9, 0xe0, 0x00, 0x41, 0x89, 0x06, 0x6a};
  auto at = std::search(bytes.begin(), bytes.end(), marker.begin(), marker.end());
  EXPECT_NE(at, bytes.end());
  return size_t(at - bytes.begin());
}

std::vector<uint8_t> encoded(const LoadedModule &loaded) {
  auto bytes = moduleToBinary(*loaded.ir);
  EXPECT_TRUE(bytes.ok()) << bytes.error().message();
  return bytes.ok() ? *bytes : std::vector<uint8_t>{};
}

TEST(ParallelDecode, SameModuleAsOneThread) {
  const std::vector<uint8_t> &bytes = bigModule();
  ASSERT_GT(bytes.size(), 4u * 256 * 1024);
  auto one = loadBinary(bytes, 1);
  ASSERT_TRUE(one.ok()) << one.error().message();
  for (unsigned threads : {2u, 3u, 4u}) {
    auto many = loadBinary(bytes, threads);
    ASSERT_TRUE(many.ok()) << many.error().message();
    // As many parts as threads, unless that leaves a part under 256 KiB of code.
    EXPECT_GE(many->decodeParts, 2u);
    EXPECT_LE(many->decodeParts, threads);
    // Re-encoding writes every body, local and name: equal bytes, equal IR.
    std::vector<uint8_t> a = encoded(*one), b = encoded(*many);
    ASSERT_FALSE(a.empty());
    EXPECT_TRUE(a == b) << threads << " threads";
    EXPECT_EQ(many->info.funcNames, one->info.funcNames);
    EXPECT_EQ(many->info.funcTypes, one->info.funcTypes);
    EXPECT_EQ(many->bodyBytes, one->bodyBytes);
    EXPECT_EQ(many->hash, one->hash);
    const wabt::Func &last = *many->ir->funcs.back();
    EXPECT_EQ(last.local_types.size(), 2u);
    EXPECT_FALSE(last.exprs.empty());
  }
  EXPECT_EQ(one->bodyBytes.size(), size_t(kFuncs));
  EXPECT_EQ(one->decodeParts, 1u);
}

// A module whose other sections outweigh its code (a big data segment) is read on one thread:
// every part would read the data again.
TEST(ParallelDecode, BigDataStaysOnOneThread) {
  std::string text = bigModuleText();
  text.pop_back(); // the module's closing parenthesis
  text += "(data (i32.const 0) \"" + std::string(3 << 20, 'a') + "\"))";
  auto bytes = watToWasm(text, "data.wat");
  ASSERT_TRUE(bytes.ok()) << bytes.error().message();
  auto loaded = loadBinary(*bytes, 4);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message();
  EXPECT_EQ(loaded->decodeParts, 1u);
  EXPECT_EQ(loaded->info.data.size(), 1u);
}

// A bad body in the last part (the last function), or in the first: the same error as one
// thread reports, offset included.
TEST(ParallelDecode, FailuresAreReportedAsOnOneThread) {
  const std::vector<uint8_t> &good = bigModule();
  size_t marker = markerOffset(good);
  struct Case {
    const char *what;
    size_t at;
    uint8_t byte;
    ErrorKind kind;
  };
  const Case cases[] = {
      {"invalid (i64.add of two i32)", marker + 7, 0x7c, ErrorKind::Invalid},
      {"malformed (no such opcode)", marker + 7, 0xff, ErrorKind::Malformed},
  };
  for (const Case &c : cases) {
    std::vector<uint8_t> bad = good;
    bad[c.at] = c.byte;
    auto one = loadBinary(bad, 1);
    auto many = loadBinary(bad, 4);
    ASSERT_FALSE(one.ok()) << c.what;
    ASSERT_FALSE(many.ok()) << c.what;
    EXPECT_EQ(many.error().kind(), c.kind) << c.what;
    EXPECT_EQ(many.error().message(), one.error().message()) << c.what;
  }
  // The first function's first i32.add (0x6a) becomes i64.add: invalid in part 0.
  std::vector<uint8_t> bad = good;
  size_t codeStart = 0;
  for (size_t i = 8; i + 1 < bad.size(); ++i)
    if (bad[i] == 0x6a && bad[i - 1] == 0x6c) { // i32.mul then i32.add, in the first function
      codeStart = i;
      break;
    }
  ASSERT_NE(codeStart, 0u);
  bad[codeStart] = 0x7c;
  auto one = loadBinary(bad, 1);
  auto many = loadBinary(bad, 4);
  ASSERT_FALSE(one.ok());
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.error().message(), one.error().message());
  EXPECT_NE(one.error().message().find("type mismatch"), std::string::npos)
      << one.error().message();
}

} // namespace
} // namespace parawasm::wasm

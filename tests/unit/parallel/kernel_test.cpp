#include "harness.h"
#include "parallel/kernel.h"

#include "engine_access.h"
#include "runtime/objects.h"

namespace parawasm::parallel {
namespace {

using test::kernelText;
using test::wat;

// The rule check's verdict on a kernel text: "" when it passes.
std::string verdict(const std::string &text) {
  auto bytes = wat(text);
  auto loaded = wasm::loadBinary(bytes);
  if (!loaded)
    return "invalid: " + loaded.error().message();
  KernelModule k;
  auto why = checkKernelRules(loaded->info, k);
  return why ? *why : "";
}

TEST(KernelRules, AcceptsTheShapeOfTheAbi) {
  EXPECT_EQ(verdict(kernelText(0, "")), "");
  EXPECT_EQ(verdict(kernelText(3, "")), "");
  // Any import names, shared or not, with private functions, globals, tables and elements.
  EXPECT_EQ(verdict(R"((module (import "x" "y" (memory 1 10 shared))
    (global $g (mut i32) (i32.const 0)) (table 2 funcref) (elem (i32.const 0) $f $f)
    (func $f) (func (export "kernel") (param i32 i32 i32) call $f)
    (func (export "other") (param i64))))"),
            "");
}

TEST(KernelRules, FillsTheKernelDescription) {
  auto loaded = wasm::loadBinary(wat(R"((module (import "env" "memory" (memory 2 300))
    (func $helper) (func (export "kernel") (param i32 i32 i32 i32 i32 i32 i32))))"));
  ASSERT_TRUE(loaded.ok());
  KernelModule k;
  EXPECT_FALSE(checkKernelRules(loaded->info, k).has_value());
  EXPECT_EQ(k.kernelFunc, 1u);
  EXPECT_EQ(k.numBuffers, 2u);
  EXPECT_EQ(k.memoryImport.minPages, 2u);
  EXPECT_EQ(k.memoryImport.maxPages, std::optional<uint32_t>(300));
}

TEST(KernelRules, RefusesEachBrokenRule) {
  struct Case {
    const char *text;
    const char *reason;
  } cases[] = {
      {R"((module (func (export "kernel") (param i32 i32 i32))))", "imports no memory"},
      {R"((module (import "env" "memory" (memory 0)) (import "env" "f" (func))
           (func (export "kernel") (param i32 i32 i32))))",
       "is a function"},
      {R"((module (import "env" "g" (global i32)) (import "env" "memory" (memory 0))
           (func (export "kernel") (param i32 i32 i32))))",
       "is a global"},
      {R"((module (import "env" "t" (table 1 funcref)) (import "env" "memory" (memory 0))
           (func (export "kernel") (param i32 i32 i32))))",
       "is a table"},
      {R"((module (import "env" "memory" (memory 0)) (data (i32.const 0) "x")
           (func (export "kernel") (param i32 i32 i32))))",
       "data segment"},
      {R"((module (import "env" "memory" (memory 0)) (data "passive")
           (func (export "kernel") (param i32 i32 i32))))",
       "data segment"},
      {R"((module (import "env" "memory" (memory 0)) (func $s) (start $s)
           (func (export "kernel") (param i32 i32 i32))))",
       "start function"},
      {R"((module (import "env" "memory" (memory 0)) (func (export "kernal") (param i32 i32 i32))))",
       "no function named 'kernel'"},
      {R"((module (import "env" "memory" (memory 0)) (global (export "kernel") i32 (i32.const 0))))",
       "not a function"},
      {R"((module (import "env" "memory" (memory 0))
           (func (export "kernel") (param i32 i32 i32) (result i32) (i32.const 0))))",
       "must return nothing"},
      {R"((module (import "env" "memory" (memory 0)) (func (export "kernel") (param i32 i32 f32))))",
       "only i32 parameters"},
      {R"((module (import "env" "memory" (memory 0)) (func (export "kernel") (param i32 i32))))",
       "3 + 2 x"},
      {R"((module (import "env" "memory" (memory 0)) (func (export "kernel") (param i32 i32 i32 i32))))",
       "3 + 2 x"},
  };
  for (const Case &c : cases) {
    std::string v = verdict(c.text);
    EXPECT_NE(v.find(c.reason), std::string::npos) << c.text << "\n=> " << v;
  }
}

TEST(KernelRules, MemoryImportAgainstTheCallersMemory) {
  const uint64_t page = 65536;
  EXPECT_FALSE(checkMemoryImport({0, std::nullopt, false}, 4 * page));
  EXPECT_FALSE(checkMemoryImport({4, std::nullopt, false}, 4 * page));
  EXPECT_TRUE(checkMemoryImport({5, std::nullopt, false}, 4 * page));
  EXPECT_FALSE(checkMemoryImport({1, 4, false}, 4 * page));
  EXPECT_TRUE(checkMemoryImport({1, 3, false}, 4 * page));
  EXPECT_FALSE(checkMemoryImport({1, 4, true}, 4 * page)); // sharedness is not compared
}

TEST(KernelHash, DependsOnEveryByte) {
  std::vector<uint8_t> a(100, 7);
  uint64_t h = hashBytes(a);
  for (size_t i = 0; i < a.size(); ++i) {
    auto b = a;
    b[i] ^= 1;
    EXPECT_NE(hashBytes(b), h) << i;
  }
  EXPECT_NE(hashBytes(std::span(a).first(99)), h);
  EXPECT_EQ(hashBytes(a), h);
  // Words that trade places between the hash's lanes change it too.
  std::vector<uint8_t> words(64);
  for (size_t i = 0; i < words.size(); ++i)
    words[i] = uint8_t(i / 8);
  auto swapped = words;
  std::swap_ranges(swapped.begin(), swapped.begin() + 8, swapped.begin() + 8);
  EXPECT_NE(hashBytes(swapped), hashBytes(words));
}

TEST(KernelCacheTest, LoadsEachDistinctKernelOnce) {
  KernelCache cache(test::kernelCompiler(test::testEngine()), 4);
  auto k1 = wat(kernelText(1, "")), k2 = wat(kernelText(2, ""));
  std::shared_ptr<KernelModule> a, b, c;
  bool isNew = false;
  ASSERT_TRUE(cache.lookup(k1, a, &isNew).isOk());
  EXPECT_TRUE(isNew);
  ASSERT_TRUE(cache.lookup(k2, b, &isNew).isOk());
  EXPECT_TRUE(isNew);
  auto copy = k1; // same bytes elsewhere
  ASSERT_TRUE(cache.lookup(copy, c, &isNew).isOk());
  EXPECT_FALSE(isNew);
  EXPECT_EQ(a, c);
  EXPECT_NE(a, b);
  EXPECT_EQ(a->numBuffers, 1u);
  EXPECT_EQ(b->numBuffers, 2u);
  auto s = cache.stats();
  EXPECT_EQ(s.lookups, 3u);
  EXPECT_EQ(s.loads, 2u);
  EXPECT_EQ(s.hits, 1u);
}

TEST(KernelCacheTest, RemembersInvalidKernels) {
  KernelCache cache(test::kernelCompiler(test::testEngine()), 4);
  std::vector<uint8_t> garbage = {0, 'a', 's', 'm', 1, 0, 0, 0, 0xff};
  std::shared_ptr<KernelModule> k;
  Status first = cache.lookup(garbage, k);
  EXPECT_EQ(first.code, ErrorCode::InvalidKernel);
  EXPECT_EQ(k, nullptr);
  Status second = cache.lookup(garbage, k);
  EXPECT_EQ(second.code, ErrorCode::InvalidKernel);
  EXPECT_EQ(second.message, first.message);
  EXPECT_EQ(cache.stats().loads, 1u);
  EXPECT_EQ(cache.lookup({}, k).code, ErrorCode::InvalidKernel);
}

TEST(KernelCacheTest, EvictsTheLeastRecentlyUsed) {
  KernelCache cache(test::kernelCompiler(test::testEngine()), 2);
  std::vector<std::vector<uint8_t>> kernels;
  for (int b = 0; b < 3; ++b)
    kernels.push_back(wat(kernelText(b, "")));
  std::shared_ptr<KernelModule> k0, k;
  ASSERT_TRUE(cache.lookup(kernels[0], k0).isOk());
  ASSERT_TRUE(cache.lookup(kernels[1], k).isOk());
  ASSERT_TRUE(cache.lookup(kernels[0], k).isOk()); // 0 is now the most recent
  ASSERT_TRUE(cache.lookup(kernels[2], k).isOk()); // evicts 1
  auto s = cache.stats();
  EXPECT_EQ(s.entries, 2u);
  EXPECT_EQ(s.evicted, 1u);
  bool isNew = true;
  ASSERT_TRUE(cache.lookup(kernels[0], k, &isNew).isOk());
  EXPECT_FALSE(isNew);
  EXPECT_EQ(k, k0);
  ASSERT_TRUE(cache.lookup(kernels[1], k, &isNew).isOk());
  EXPECT_TRUE(isNew);
}

TEST(KernelCacheTest, CompilesCpuCodeOnceWithADriver) {
  KernelCache cache(test::kernelCompiler(test::testEngine()), 4);
  std::shared_ptr<KernelModule> k;
  ASSERT_TRUE(cache.lookup(wat(kernelText(1, "")), k).isOk());
  EXPECT_FALSE(k->cpuCompiled());
  auto m1 = k->cpuModule();
  ASSERT_TRUE(m1.ok()) << m1.error().message();
  EXPECT_TRUE(k->cpuCompiled());
  EXPECT_NE((*m1)->kernelDriver, nullptr);
  auto m2 = k->cpuModule();
  ASSERT_TRUE(m2.ok());
  EXPECT_EQ(m1->get(), m2->get());
}

TEST(KernelCacheTest, OneCachePerEngine) {
  auto a = KernelCache::forEngine(test::kernelCompiler(test::testEngine()));
  auto b = KernelCache::forEngine(test::kernelCompiler(test::testEngine()));
  EXPECT_EQ(a, b);
  Engine other;
  EXPECT_NE(KernelCache::forEngine(test::kernelCompiler(other)), a);
}

} // namespace
} // namespace parawasm::parallel

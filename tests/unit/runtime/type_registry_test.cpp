// Canonical signature ids (runtime/type_registry.cpp): call_indirect compares them, so equal
// signatures must share one id and different ones must not.
#include "runtime/objects.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

using namespace parawasm;
using runtime::TypeRegistry;

namespace {

TEST(TypeRegistry, EqualSignaturesShareAnId) {
  TypeRegistry registry;
  uint32_t a = registry.intern(FuncType{{ValType::I32}, {ValType::I64}});
  uint32_t b = registry.intern(FuncType{{ValType::I32}, {ValType::I64}});
  EXPECT_EQ(a, b);
}

TEST(TypeRegistry, DifferentSignaturesGetDifferentIds) {
  TypeRegistry registry;
  const FuncType types[] = {
      {{}, {}},
      {{ValType::I32}, {}},
      {{}, {ValType::I32}}, // params and results are not interchangeable
      {{ValType::I32, ValType::I64}, {}},
      {{ValType::I64, ValType::I32}, {}}, // order matters
      {{ValType::FuncRef}, {}},
      {{ValType::ExternRef}, {}},
  };
  std::set<uint32_t> ids;
  for (const FuncType &t : types)
    EXPECT_TRUE(ids.insert(registry.intern(t)).second) << t.toString();
  // Ids are dense from zero, in order of first interning.
  EXPECT_EQ(*ids.begin(), 0u);
  EXPECT_EQ(*ids.rbegin(), uint32_t(std::size(types) - 1));
  for (size_t i = 0; i < std::size(types); ++i)
    EXPECT_EQ(registry.intern(types[i]), uint32_t(i));
}

TEST(TypeRegistry, RegistriesAreIndependent) {
  TypeRegistry one, two;
  EXPECT_EQ(one.intern(FuncType{{ValType::F32}, {}}), 0u);
  EXPECT_EQ(one.intern(FuncType{{ValType::F64}, {}}), 1u);
  EXPECT_EQ(two.intern(FuncType{{ValType::F64}, {}}), 0u);
}

TEST(TypeRegistry, ConcurrentInterningAgrees) {
  TypeRegistry registry;
  constexpr int kThreads = 4, kTypes = 50;
  std::vector<std::vector<uint32_t>> seen(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kTypes; ++i)
        seen[t].push_back(
            registry.intern(FuncType{std::vector<ValType>(size_t(i), ValType::I32), {}}));
    });
  for (auto &thread : threads)
    thread.join();
  for (int t = 1; t < kThreads; ++t)
    EXPECT_EQ(seen[t], seen[0]);
  EXPECT_EQ(std::set<uint32_t>(seen[0].begin(), seen[0].end()).size(), size_t(kTypes));
}

} // namespace

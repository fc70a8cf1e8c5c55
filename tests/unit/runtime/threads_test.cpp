// Compiled code is shared; state is per instance: many instances of one module run at once on
// many threads, and a trap on any thread comes back to that thread's caller.
#include "parawasm/parawasm.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

using namespace parawasm;

namespace {

const char *kModule = R"((module
  (global $calls (mut i32) (i32.const 0))
  (func $fib (export "fib") (param i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "calls") (result i32) (global.get $calls))
  (func (export "div") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
  (func $deep (export "deep") (param i32) (result i32)
    (i32.add (i32.const 1) (call $deep (local.get 0)))))
)";

Engine &engine() {
  static Engine e(EngineConfig{OptLevel::Full, false, "", 0});
  return e;
}

} // namespace

TEST(Threads, ManyInstancesOnManyThreads) {
  auto m = Module::fromText(engine(), kModule, "fib.wat");
  ASSERT_TRUE(m.ok()) << m.error().message();
  constexpr int kThreads = 4;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      Linker linker(engine());
      auto inst = linker.instantiate(*m);
      if (!inst)
        return;
      auto r = inst->getFunc("fib")->call({{Val::makeI32(20 + t)}});
      auto calls = inst->getFunc("calls")->call({});
      static const int fib[] = {6765, 10946, 17711, 28657};
      static const int expectedCalls[] = {21891, 35421, 57313, 92735};
      if (r && calls && (*r)[0].of.i32 == fib[t] && (*calls)[0].of.i32 == expectedCalls[t])
        ++ok;
    });
  for (auto &t : threads)
    t.join();
  EXPECT_EQ(ok.load(), kThreads); // each instance counted only its own calls
}

TEST(Threads, OneInstanceFromManyThreads) {
  auto m = Module::fromText(engine(), kModule, "fib.wat");
  ASSERT_TRUE(m.ok());
  Linker linker(engine());
  auto inst = linker.instantiate(*m);
  ASSERT_TRUE(inst.ok());
  auto fib = *inst->getFunc("fib");
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int k = 0; k < 20; ++k) {
        auto r = fib.call({{Val::makeI32(15)}});
        if (r && (*r)[0].of.i32 == 610)
          ++ok;
      }
    });
  for (auto &t : threads)
    t.join();
  EXPECT_EQ(ok.load(), 80);
}

TEST(Threads, TrapOnAnotherThreadIsReported) {
  auto m = Module::fromText(engine(), kModule, "fib.wat");
  ASSERT_TRUE(m.ok());
  Linker linker(engine());
  auto inst = linker.instantiate(*m);
  ASSERT_TRUE(inst.ok());
  std::optional<Error> divError, deepError;
  std::thread worker([&] {
    auto r = inst->getFunc("div")->call({{Val::makeI32(1), Val::makeI32(0)}});
    if (!r)
      divError.emplace(r.error());
    auto d = inst->getFunc("deep")->call({{Val::makeI32(0)}});
    if (!d)
      deepError.emplace(d.error());
  });
  worker.join();
  ASSERT_TRUE(divError.has_value());
  EXPECT_EQ(divError->kind(), ErrorKind::Trap);
  EXPECT_EQ(divError->trapCode(), TrapCode::IntegerDivideByZero);
  EXPECT_NE(divError->message().find("integer divide by zero"), std::string::npos);
  EXPECT_NE(divError->message().find("in function 'div'"), std::string::npos)
      << divError->message();
  ASSERT_TRUE(deepError.has_value());
  EXPECT_EQ(deepError->kind(), ErrorKind::Exhaustion);
  EXPECT_EQ(deepError->trapCode(), TrapCode::CallStackExhausted);
  // The thread that trapped and this one both keep working.
  auto r = inst->getFunc("fib")->call({{Val::makeI32(10)}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].of.i32, 55);
}

TEST(Threads, RepeatedStackExhaustionRecovers) {
  auto m = Module::fromText(engine(), kModule, "fib.wat");
  ASSERT_TRUE(m.ok());
  Linker linker(engine());
  auto inst = linker.instantiate(*m);
  ASSERT_TRUE(inst.ok());
  for (int i = 0; i < 5; ++i) {
    auto d = inst->getFunc("deep")->call({{Val::makeI32(0)}});
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.error().trapCode(), TrapCode::CallStackExhausted);
  }
}

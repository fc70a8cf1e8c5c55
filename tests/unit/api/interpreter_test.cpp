// Issue 11: the interpreter tier of a lazy start (vm/interp.h). A function's first calls run in
// the interpreter, later ones compiled; a call that loops long moves into compiled code at a loop
// header; functions the interpreter cannot run are compiled at once. Results, traps (and the
// function they name), host calls and interrupts must be those of compiled code.
#include "compile/compiler.h"
#include "parawasm/parawasm.h"

#include <gtest/gtest.h>

#include <optional>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace parawasm {
namespace {

const char *kModule = R"((module
  (import "env" "twice" (func $twice (param i32) (result i32)))
  (type $un (func (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $twice $inc)
  (memory 1)
  (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "small") (param i32) (result i32)
    (call_indirect (type $un) (call $twice (local.get 0)) (i32.const 1)))
  (func (export "indirect-host") (param i32) (result i32)
    (call_indirect (type $un) (local.get 0) (i32.const 0)))
  (func (export "sum") (param $n i32) (result i64) (local $i i32) (local $acc i64)
    (loop $l
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))
  (func (export "quotient") (param i32) (result i32) (i32.div_u (i32.const 100) (local.get 0)))
  (func (export "peek") (param i32) (result i32) (i32.load offset=8 (local.get 0)))
  ;; An operand below the loop: it cannot move into compiled code and stays interpreted.
  (func (export "spin") (result i32) (i32.const 1) (loop $l (br $l)) (unreachable))
  (func $rec (param i32) (result i32)
    (if (result i32) (i32.lt_s (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $rec (i32.sub (local.get 0) (i32.const 1)))
                     (call $rec (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "fib") (param i32) (result i32) (call $rec (local.get 0)))
  (func (export "simd") (param i32) (result i32)
    (i32x4.extract_lane 2 (i32x4.splat (local.get 0))))
))";

// Sets the environment for the module compiled next (the start mode is read at each compile).
struct Env {
  Env(const char *budget) {
    ::setenv("PARAWASM_LAZY", "1", 1);
    ::setenv("PARAWASM_SPECULATE", "0", 1);
    if (budget)
      ::setenv("PARAWASM_INTERP_BUDGET", budget, 1);
  }
  ~Env() {
    ::unsetenv("PARAWASM_LAZY");
    ::unsetenv("PARAWASM_SPECULATE");
    ::unsetenv("PARAWASM_INTERP_BUDGET");
  }
};

struct Loaded {
  Engine engine{[] {
    EngineConfig config;
    config.useCache = false;
    return config;
  }()};
  Linker linker{engine};
  std::optional<Module> module;
  std::optional<Instance> instance;

  explicit Loaded(const char *budget = nullptr) {
    Env env(budget);
    auto made = Module::fromText(engine, kModule, "interpreter.wat");
    EXPECT_TRUE(made.ok()) << made.error().message();
    if (!made.ok())
      return;
    module.emplace(std::move(*made));
    linker.defineFunction("env", "twice", FuncType{{ValType::I32}, {ValType::I32}},
                          [](Caller &, std::span<const Val> args, std::span<Val> results) {
                            results[0] = Val::makeI32(args[0].of.i32 * 2);
                            return HostStatus::ok();
                          });
    auto linked = linker.instantiate(*module);
    EXPECT_TRUE(linked.ok()) << linked.error().message();
    if (linked.ok())
      instance.emplace(std::move(*linked));
  }
  Result<std::vector<Val>> call(const char *name, std::vector<Val> args) {
    return instance->getFunc(name)->call(args);
  }
};

int32_t i32Of(const Result<std::vector<Val>> &r) {
  EXPECT_TRUE(r.ok()) << r.error().message();
  return r.ok() ? (*r)[0].of.i32 : -1;
}

TEST(Interpreter, RunsTheFirstCallsThenCompiles) {
  Loaded m; // the default budget: a thousand calls
  ASSERT_TRUE(m.instance);
  compile::TierCounters before = compile::tierCounters();
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(i32Of(m.call("small", {Val::makeI32(20 + i)})), 41 + 2 * i); // 2x + 1
  compile::TierCounters interpreted = compile::tierCounters();
  EXPECT_EQ(interpreted.fastCompiles, before.fastCompiles);    // nothing compiled yet
  EXPECT_GE(interpreted.interpreted - before.interpreted, 2u); // small and $inc
  for (int i = 0; i < 1100; ++i)
    EXPECT_EQ(i32Of(m.call("small", {Val::makeI32(i)})), 2 * i + 1);
  compile::TierCounters after = compile::tierCounters();
  EXPECT_GE(after.fastCompiles - before.fastCompiles, 2u); // small and $inc, once hot
}

TEST(Interpreter, ALongLoopContinuesInCompiledCode) {
  Loaded m;
  ASSERT_TRUE(m.instance);
  compile::TierCounters before = compile::tierCounters();
  auto r = m.call("sum", {Val::makeI32(3'000'000)});
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ((*r)[0].of.i64, int64_t(3'000'000) * 2'999'999 / 2);
  compile::TierCounters after = compile::tierCounters();
  EXPECT_EQ(after.loopEntries - before.loopEntries, 1u);
  // The later calls run the function's compiled code from its start.
  auto again = m.call("sum", {Val::makeI32(10)});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)[0].of.i64, 45);
  EXPECT_EQ(compile::tierCounters().loopEntries, after.loopEntries);
}

TEST(Interpreter, TrapsAreThoseOfCompiledCodeAndNameTheFunction) {
  Loaded m("1000000000000"); // every call interpreted
  ASSERT_TRUE(m.instance);
  EXPECT_EQ(i32Of(m.call("quotient", {Val::makeI32(7)})), 14);
  auto zero = m.call("quotient", {Val::makeI32(0)});
  ASSERT_FALSE(zero.ok());
  EXPECT_TRUE(zero.error().trapCode() == TrapCode::IntegerDivideByZero);
  EXPECT_NE(zero.error().message().find("in function 'quotient'"), std::string::npos)
      << zero.error().message();
  // The last four bytes of memory read; one more is out of bounds, as is an address whose
  // offset takes it past 4 GiB.
  EXPECT_EQ(i32Of(m.call("peek", {Val::makeI32(65536 - 12)})), 0);
  for (int32_t at : {65536 - 11, -4}) {
    auto out = m.call("peek", {Val::makeI32(at)});
    ASSERT_FALSE(out.ok()) << at;
    EXPECT_TRUE(out.error().trapCode() == TrapCode::MemoryOutOfBounds) << out.error().message();
  }
  // Host functions, directly and through a table.
  EXPECT_EQ(i32Of(m.call("indirect-host", {Val::makeI32(21)})), 42);
  EXPECT_EQ(i32Of(m.call("small", {Val::makeI32(5)})), 11);
}

TEST(Interpreter, InterruptsStopInterpretedLoopsAndRecursion) {
  Loaded m("1000000000000");
  ASSERT_TRUE(m.instance);
  for (const char *name : {"spin", "fib"}) {
    InterruptHandle handle = m.instance->interruptHandle();
    std::thread stopper([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      handle.interrupt();
    });
    auto started = std::chrono::steady_clock::now();
    // fib(60) by plain recursion would not end; it has no loop.
    auto r = m.call(name, std::string(name) == "fib" ? std::vector<Val>{Val::makeI32(60)}
                                                     : std::vector<Val>{});
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    stopper.join();
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_TRUE(r.error().trapCode() == TrapCode::Interrupted) << r.error().message();
    EXPECT_LT(seconds, 1.0) << name;
    m.linker.interruptHandle().reset();
  }
}

TEST(Interpreter, FunctionsItCannotRunAreCompiled) {
  Loaded m("1000000000000");
  ASSERT_TRUE(m.instance);
  compile::TierCounters before = compile::tierCounters();
  EXPECT_EQ(i32Of(m.call("simd", {Val::makeI32(9)})), 9);
  compile::TierCounters after = compile::tierCounters();
  EXPECT_EQ(after.interpreterRefused - before.interpreterRefused, 1u);
  EXPECT_EQ(after.fastCompiles - before.fastCompiles, 1u);
}

TEST(Interpreter, OffMeansEachFunctionCompilesOnItsFirstCall) {
  ::setenv("PARAWASM_INTERP", "0", 1);
  Loaded m;
  ::unsetenv("PARAWASM_INTERP");
  ASSERT_TRUE(m.instance);
  compile::TierCounters before = compile::tierCounters();
  EXPECT_EQ(i32Of(m.call("quotient", {Val::makeI32(50)})), 2);
  compile::TierCounters after = compile::tierCounters();
  EXPECT_EQ(after.interpreted, before.interpreted);
  EXPECT_EQ(after.fastCompiles - before.fastCompiles, 1u);
}

} // namespace
} // namespace parawasm

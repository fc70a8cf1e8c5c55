// Issue 12: interruption, fuel and resource limits through the embedding API.
#include "parawasm/parawasm.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace parawasm {
namespace {

Engine &engine(bool fuel = false) {
  auto config = [](bool f) {
    EngineConfig c;
    c.useCache = false;
    c.consumeFuel = f;
    return c;
  };
  static Engine plain(config(false)), metered(config(true));
  return fuel ? metered : plain;
}

Module compile(const std::string &text, bool fuel = false) {
  auto m = Module::fromText(engine(fuel), text, "test.wat");
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message());
  return std::move(*m);
}

const char *kSpin = R"((module
  (func (export "spin") (loop $l (br $l)))
  (func $rec (param i32) (result i32)
    (if (result i32) (i32.lt_s (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $rec (i32.sub (local.get 0) (i32.const 1)))
                     (call $rec (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "fib") (param i32) (result i32) (call $rec (local.get 0)))
  (func (export "count") (param $n i32) (result i32) (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $i))
))";

// Calls `name` while another thread interrupts after `delay`; returns the error and how long
// the call took.
std::pair<Error, double> interruptedCall(Instance &instance, const char *name,
                                         std::vector<Val> args, std::chrono::milliseconds delay) {
  InterruptHandle handle = instance.interruptHandle();
  std::thread stopper([&] {
    std::this_thread::sleep_for(delay);
    handle.interrupt();
  });
  auto started = std::chrono::steady_clock::now();
  auto r = instance.getFunc(name)->call(args);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  stopper.join();
  EXPECT_FALSE(r.ok());
  return {r.ok() ? Error(ErrorKind::Internal, "no error") : r.error(), seconds};
}

TEST(Interrupt, StopsALoopFromAnotherThread) {
  Module module = compile(kSpin);
  Linker linker(engine());
  auto instance = linker.instantiate(module);
  ASSERT_TRUE(instance.ok());
  auto [error, seconds] = interruptedCall(*instance, "spin", {}, std::chrono::milliseconds(50));
  EXPECT_EQ(error.kind(), ErrorKind::Trap);
  EXPECT_TRUE(error.trapCode() == TrapCode::Interrupted);
  EXPECT_EQ(error.message().rfind("interrupt", 0), 0u) << error.message();
  EXPECT_NE(error.message().find("spin"), std::string::npos) << error.message();
  EXPECT_LT(seconds, 1.0);
  EXPECT_TRUE(linker.interruptHandle().interrupted());
  // Still set: the next call stops at once. After reset() the instance runs normally.
  auto again = instance->getFunc("count")->call(std::vector<Val>{Val::makeI32(10)});
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.error().trapCode() == TrapCode::Interrupted);
  linker.interruptHandle().reset();
  auto fine = instance->getFunc("count")->call(std::vector<Val>{Val::makeI32(1000)});
  ASSERT_TRUE(fine.ok()) << fine.error().message();
  EXPECT_EQ((*fine)[0].of.i32, 1000);
}

TEST(Interrupt, StopsRecursionWithoutLoops) {
  Module module = compile(kSpin);
  Linker linker(engine());
  auto instance = linker.instantiate(module);
  ASSERT_TRUE(instance.ok());
  // fib(60) by plain recursion would take longer than the universe has; it has no loop.
  auto [error, seconds] =
      interruptedCall(*instance, "fib", {Val::makeI32(60)}, std::chrono::milliseconds(50));
  EXPECT_TRUE(error.trapCode() == TrapCode::Interrupted);
  EXPECT_LT(seconds, 1.0);
}

TEST(Interrupt, StopsALoopThatLivesInHostCalls) {
  // Nearly all of the time is spent in the host function, where the interrupt signal does not
  // unwind: the checkpoint at the host call's return does.
  Module module = compile(R"((module (import "env" "nap" (func $nap))
    (func (export "naps") (loop $l (call $nap) (br $l)))))");
  Linker linker(engine());
  linker.defineFunction("env", "nap", FuncType{}, [](Caller &, auto, auto) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return HostStatus::ok();
  });
  auto instance = linker.instantiate(module);
  ASSERT_TRUE(instance.ok()) << instance.error().message();
  auto [error, seconds] = interruptedCall(*instance, "naps", {}, std::chrono::milliseconds(50));
  EXPECT_TRUE(error.trapCode() == TrapCode::Interrupted) << error.message();
  EXPECT_NE(error.message().find("after host function"), std::string::npos) << error.message();
  EXPECT_LT(seconds, 1.0);
}

TEST(Interrupt, ManyInterruptsOfShortCallsLeaveTheProcessSound) {
  // Interrupts racing with calls that start and end: each call either finishes or traps with
  // Interrupted, and after reset() everything runs again (no signal left to hit host code).
  Module module = compile(kSpin);
  Linker linker(engine());
  auto instance = linker.instantiate(module);
  ASSERT_TRUE(instance.ok());
  InterruptHandle handle = linker.interruptHandle();
  for (int round = 0; round < 20; ++round) {
    std::thread stopper([&] {
      std::this_thread::sleep_for(std::chrono::microseconds(100 * round));
      handle.interrupt();
    });
    for (int i = 0; i < 50; ++i) {
      auto r = instance->getFunc("count")->call(std::vector<Val>{Val::makeI32(100'000)});
      if (!r.ok())
        EXPECT_TRUE(r.error().trapCode() == TrapCode::Interrupted) << r.error().message();
      else
        EXPECT_EQ((*r)[0].of.i32, 100'000);
    }
    stopper.join();
    handle.reset();
    auto fine = instance->getFunc("count")->call(std::vector<Val>{Val::makeI32(1000)});
    ASSERT_TRUE(fine.ok()) << fine.error().message();
  }
}

TEST(Interrupt, OneHandleStopsEveryInstanceOfALinker) {
  Module module = compile(kSpin);
  Linker linker(engine());
  auto a = linker.instantiate(module);
  auto b = linker.instantiate(module);
  ASSERT_TRUE(a.ok() && b.ok());
  std::optional<Error> errorB;
  std::thread other([&] {
    auto r = b->getFunc("spin")->call({});
    if (!r)
      errorB = r.error();
  });
  auto [errorA, seconds] = interruptedCall(*a, "spin", {}, std::chrono::milliseconds(50));
  other.join();
  EXPECT_TRUE(errorA.trapCode() == TrapCode::Interrupted);
  ASSERT_TRUE(errorB.has_value());
  EXPECT_TRUE(errorB->trapCode() == TrapCode::Interrupted);
  // Another linker's instances are not affected.
  Linker separate(engine());
  auto c = separate.instantiate(module);
  ASSERT_TRUE(c.ok());
  auto r = c->getFunc("count")->call(std::vector<Val>{Val::makeI32(5)});
  EXPECT_TRUE(r.ok());
}

TEST(Interrupt, WakesAWaiter) {
  Module module = compile(R"((module (memory 1 1 shared)
    (func (export "wait") (result i32)
      (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))))");
  Linker linker(engine());
  auto instance = linker.instantiate(module);
  ASSERT_TRUE(instance.ok());
  auto [error, seconds] = interruptedCall(*instance, "wait", {}, std::chrono::milliseconds(50));
  EXPECT_TRUE(error.trapCode() == TrapCode::Interrupted);
  EXPECT_LT(seconds, 1.0);
}

TEST(Fuel, RunsOutWithWasmtimesMessage) {
  Module module = compile(kSpin, true);
  Linker linker(engine(true));
  linker.setFuel(100'000);
  auto instance = linker.instantiate(module);
  ASSERT_TRUE(instance.ok());
  EXPECT_EQ(instance->fuel().value_or(0), 100'000u);
  auto r = instance->getFunc("spin")->call({});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().trapCode() == TrapCode::OutOfFuel);
  EXPECT_EQ(r.error().message().rfind("all fuel consumed by WebAssembly", 0), 0u)
      << r.error().message();
  // A counted loop: fuel roughly follows the instructions run (7 per iteration here).
  ASSERT_TRUE(instance->setFuel(1'000'000).ok());
  auto counted = instance->getFunc("count")->call(std::vector<Val>{Val::makeI32(1000)});
  ASSERT_TRUE(counted.ok()) << counted.error().message();
  uint64_t used = 1'000'000 - *instance->fuel();
  EXPECT_GE(used, 6000u);
  EXPECT_LE(used, 9000u);
  // Not enough for 100,000 iterations.
  ASSERT_TRUE(instance->setFuel(100'000).ok());
  auto tooLong = instance->getFunc("count")->call(std::vector<Val>{Val::makeI32(100'000)});
  ASSERT_FALSE(tooLong.ok());
  EXPECT_TRUE(tooLong.error().trapCode() == TrapCode::OutOfFuel);
}

TEST(Fuel, IsOffByDefault) {
  Module module = compile(kSpin);
  Linker linker(engine());
  auto instance = linker.instantiate(module);
  ASSERT_TRUE(instance.ok());
  EXPECT_FALSE(instance->fuel().has_value());
  auto set = instance->setFuel(10);
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.error().kind(), ErrorKind::Usage);
  auto r = instance->getFunc("count")->call(std::vector<Val>{Val::makeI32(1'000'000)});
  EXPECT_TRUE(r.ok());
}

const char *kGrower = R"((module (memory 1) (table 1 funcref)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "table_grow") (param i32) (result i32) (table.grow 0 (ref.null func) (local.get 0)))
))";

int32_t callI32(Instance &instance, const char *name, std::vector<Val> args) {
  auto r = instance.getFunc(name)->call(args);
  EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().message());
  return r.ok() ? (*r)[0].of.i32 : -2;
}

TEST(Limits, MemoryGrowPastTheLimitReturnsMinusOne) {
  Module module = compile(kGrower);
  Linker linker(engine());
  ResourceLimits limits;
  limits.maxMemoryBytes = 4 * 65536;
  limits.maxTableElements = 10;
  linker.setLimiter(std::make_shared<ResourceLimiter>(limits));
  auto instance = linker.instantiate(module);
  ASSERT_TRUE(instance.ok());
  EXPECT_EQ(callI32(*instance, "grow", {Val::makeI32(3)}), 1); // 4 pages: at the limit
  EXPECT_EQ(callI32(*instance, "grow", {Val::makeI32(1)}), -1);
  EXPECT_EQ(callI32(*instance, "grow", {Val::makeI32(65536)}), -1);
  EXPECT_EQ(callI32(*instance, "size", {}), 4);
  EXPECT_EQ(callI32(*instance, "table_grow", {Val::makeI32(9)}), 1);
  EXPECT_EQ(callI32(*instance, "table_grow", {Val::makeI32(1)}), -1);
  // The same module under the default limits grows as the spec allows.
  Linker free(engine());
  auto unlimited = free.instantiate(module);
  ASSERT_TRUE(unlimited.ok());
  EXPECT_EQ(callI32(*unlimited, "grow", {Val::makeI32(100)}), 1);
}

TEST(Limits, RefuseInstantiationWithAClearError) {
  Linker linker(engine());
  ResourceLimits limits;
  limits.maxMemoryBytes = 1 << 20;
  limits.maxTableElements = 100;
  limits.maxInstances = 2;
  linker.setLimiter(std::make_shared<ResourceLimiter>(limits));
  auto big = linker.instantiate(compile("(module (memory 17))"));
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().kind(), ErrorKind::Uninstantiable);
  EXPECT_EQ(big.error().message(),
            "memory 0: a memory of 1088 KiB is over the limit of 1 MiB (max-memory-size)");
  auto table = linker.instantiate(compile("(module (table 101 funcref))"));
  ASSERT_FALSE(table.ok());
  EXPECT_NE(table.error().message().find("max-table-elements"), std::string::npos);
  Module small = compile("(module (memory 1))");
  auto one = linker.instantiate(small);
  auto two = linker.instantiate(small);
  ASSERT_TRUE(one.ok() && two.ok());
  auto three = linker.instantiate(small);
  ASSERT_FALSE(three.ok());
  EXPECT_NE(three.error().message().find("max-instances"), std::string::npos);
  // Instances that are gone no longer count.
  one = three.takeError();
  auto again = linker.instantiate(small);
  EXPECT_TRUE(again.ok());
}

// An embedder's own decisions go through the same one limiter.
class CountingLimiter : public ResourceLimiter {
public:
  std::optional<std::string> memoryGrowing(uint64_t current, uint64_t desired) override {
    ++calls;
    if (desired > 2 * 65536)
      return "no more than two pages here";
    return ResourceLimiter::memoryGrowing(current, desired);
  }
  int calls = 0;
};

TEST(Limits, AnEmbedderDecides) {
  Module module = compile(kGrower);
  Linker linker(engine());
  auto limiter = std::make_shared<CountingLimiter>();
  linker.setLimiter(limiter);
  auto instance = linker.instantiate(module);
  ASSERT_TRUE(instance.ok());
  EXPECT_EQ(callI32(*instance, "grow", {Val::makeI32(1)}), 1);
  EXPECT_EQ(callI32(*instance, "grow", {Val::makeI32(1)}), -1);
  EXPECT_EQ(limiter->calls, 3); // instantiation, then each grow
}

} // namespace
} // namespace parawasm

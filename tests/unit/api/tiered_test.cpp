// Issue 11: tiered start-up. A cold -O2 compile runs fast-tier code compiled on first call while
// a background thread compiles the module at -O2 and switches every function to it. The results
// must be those of an eager compile, in frames that straddle the switch too; every function must
// end on -O2; and the disk cache must get exactly the -O2 objects an eager compile writes, which
// a warm start then runs without compiling anything at the fast tier.
#include "compile/compiler.h"
#include "parawasm/parawasm.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace parawasm {
namespace {

// `straddle` runs half its work, waits (in the import) until every tier-up has finished while its
// own fast-tier frame is on the stack, then does the other half: calls, calls through a table and
// recursion on both sides of the switch.
const char *kModule = R"((module
  (import "env" "settle" (func $settle))
  (type $bin (func (param i32 i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $add $mul)
  (func $add (type $bin) (i32.add (local.get 0) (local.get 1)))
  (func $mul (type $bin) (i32.mul (i32.or (local.get 0) (i32.const 1)) (local.get 1)))
  (func $fib (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $mix (param $n i32) (result i32) (local $acc i32) (local $i i32)
    (loop $l
      (local.set $acc (call_indirect (type $bin) (local.get $acc) (local.get $i)
                                     (i32.and (local.get $i) (i32.const 1))))
      (local.set $acc (i32.add (local.get $acc) (call $fib (i32.and (local.get $i) (i32.const 15)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))
  (func (export "straddle") (param $n i32) (result i32) (local $a i32)
    (local.set $a (call $mix (local.get $n)))
    (call $settle)
    (i32.add (local.get $a) (call $mix (i32.add (local.get $n) (i32.const 7)))))
  (func (export "quotient") (param i32) (result i32) (i32.div_u (i32.const 100) (local.get 0)))
))";
constexpr uint32_t kDefinedFuncs = 6;

struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const char *name)
      : path(std::filesystem::temp_directory_path() /
             (std::string(name) + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  // The one cache file in it (empty when there is none or several).
  std::vector<char> cacheFile() const {
    std::vector<std::filesystem::path> files;
    for (const auto &entry : std::filesystem::directory_iterator(path))
      if (entry.path().extension() == ".pwo")
        files.push_back(entry.path());
    if (files.size() != 1)
      return {};
    std::ifstream in(files[0], std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
};

struct Outcome {
  bool fromCache = false;
  std::vector<int32_t> results;
  TrapCode trap = TrapCode::Unreachable;
};

// Compiles kModule in a fresh engine with $PARAWASM_TIERED=`tiered` (the mode is read at each
// compile) and runs it.
Outcome runModule(const char *tiered, const std::filesystem::path &cacheDir) {
  ::setenv("PARAWASM_TIERED", tiered, 1);
  ::unsetenv("PARAWASM_LAZY"); // which would win over $PARAWASM_TIERED=0 (a lazy test run)
  EngineConfig config;
  config.useCache = true;
  config.cacheDir = cacheDir.string();
  config.compileThreads = 1; // the same partitions in both modes, so the same objects
  Engine engine(config);
  auto module = Module::fromText(engine, kModule, "tiered.wat");
  ::unsetenv("PARAWASM_TIERED");
  EXPECT_TRUE(module.ok()) << module.error().message();
  if (!module.ok())
    return {};
  Linker linker(engine);
  linker.defineFunction("env", "settle", FuncType{}, [](Caller &, auto, auto) {
    compile::waitForTierUps();
    return HostStatus::ok();
  });
  auto instance = linker.instantiate(*module);
  EXPECT_TRUE(instance.ok()) << instance.error().message();
  if (!instance.ok())
    return {};
  Outcome out;
  out.fromCache = module->fromCache();
  for (int32_t n : {1, 40, 300, 1000}) {
    auto r = instance->getFunc("straddle")->call(std::vector<Val>{Val::makeI32(n)});
    EXPECT_TRUE(r.ok()) << r.error().message();
    out.results.push_back(r.ok() ? (*r)[0].of.i32 : -1);
  }
  auto q = instance->getFunc("quotient")->call(std::vector<Val>{Val::makeI32(7)});
  out.results.push_back(q.ok() ? (*q)[0].of.i32 : -1);
  auto trapped = instance->getFunc("quotient")->call(std::vector<Val>{Val::makeI32(0)});
  EXPECT_FALSE(trapped.ok());
  if (!trapped.ok())
    out.trap = trapped.error().trapCode().value_or(TrapCode::Unreachable);
  return out;
}

TEST(Tiered, SameResultsAsEagerAndEveryFunctionEndsOnO2) {
  TempDir eagerCache("pw-tiered-eager"), tieredCache("pw-tiered");
  Outcome eager = runModule("0", eagerCache.path);
  compile::TierCounters before = compile::tierCounters();
  Outcome tiered = runModule("1", tieredCache.path);
  compile::waitForTierUps();
  compile::TierCounters after = compile::tierCounters();
  EXPECT_EQ(tiered.results, eager.results);
  EXPECT_EQ(tiered.trap, TrapCode::IntegerDivideByZero);
  EXPECT_EQ(eager.trap, TrapCode::IntegerDivideByZero);
  EXPECT_FALSE(tiered.fromCache);
  // What ran before the switch ran in the interpreter, or compiled at the fast tier once it
  // had run enough there; then all of it went to -O2.
  EXPECT_GT(after.interpreted, before.interpreted);
  EXPECT_LE(after.fastCompiles - before.fastCompiles, kDefinedFuncs);
  EXPECT_EQ(after.tierUpsStarted, before.tierUpsStarted + 1);
  EXPECT_EQ(after.tierUpsFinished, before.tierUpsFinished + 1);
  EXPECT_EQ(after.functionsSwitched, before.functionsSwitched + kDefinedFuncs);

  // The cache holds the -O2 objects, byte for byte what an eager compile writes.
  std::vector<char> eagerObjects = eagerCache.cacheFile(), tieredObjects = tieredCache.cacheFile();
  ASSERT_FALSE(eagerObjects.empty());
  EXPECT_TRUE(eagerObjects == tieredObjects);

  // A warm start loads them: no fast-tier compile, no tier-up, the same results.
  before = compile::tierCounters();
  Outcome warm = runModule("1", tieredCache.path);
  after = compile::tierCounters();
  EXPECT_TRUE(warm.fromCache);
  EXPECT_EQ(warm.results, eager.results);
  EXPECT_EQ(after.fastCompiles, before.fastCompiles);
  EXPECT_EQ(after.tierUpsStarted, before.tierUpsStarted);
}

TEST(Tiered, ReleasedModuleStopsItsTierUp) {
  // A module dropped at once (as a short program's is) cancels its background compile: nothing
  // is switched or cached, and nothing is left running.
  TempDir cache("pw-tiered-released");
  compile::TierCounters before = compile::tierCounters();
  {
    ::setenv("PARAWASM_TIERED", "1", 1);
    EngineConfig config;
    config.cacheDir = cache.path.string();
    Engine engine(config);
    auto module = Module::fromText(engine, kModule, "tiered.wat");
    ::unsetenv("PARAWASM_TIERED");
    ASSERT_TRUE(module.ok()) << module.error().message();
  }
  compile::waitForTierUps();
  compile::TierCounters after = compile::tierCounters();
  EXPECT_EQ(after.tierUpsStarted, before.tierUpsStarted + 1);
  // The compile may have won the race with the release; then it switched and cached everything.
  EXPECT_EQ(after.functionsSwitched - before.functionsSwitched,
            (after.tierUpsFinished - before.tierUpsFinished) * kDefinedFuncs);
}

TEST(Tiered, OffMeansEager) {
  TempDir cache("pw-tiered-off");
  compile::TierCounters before = compile::tierCounters();
  Outcome eager = runModule("0", cache.path);
  compile::TierCounters after = compile::tierCounters();
  EXPECT_FALSE(eager.results.empty());
  EXPECT_EQ(after.fastCompiles, before.fastCompiles);
  EXPECT_EQ(after.tierUpsStarted, before.tierUpsStarted);
}

// Speculation (lazy and tiered starts): the functions a function compiled on demand calls
// directly are compiled on a thread of their own before their first call. `run` first waits (in
// the import) until that thread has compiled `want` of its callees, then calls every other one;
// the callees it skips were compiled anyway.
constexpr int kCallees = 40;
// Instantiates `module` with `linker` and calls its export `name` (i32) -> i32 once; -1 when
// that fails.
int32_t instantiateAndCall(Linker &linker, const Module &module, const char *name, int32_t arg) {
  auto instance = linker.instantiate(module);
  EXPECT_TRUE(instance.ok()) << instance.error().message();
  if (!instance.ok())
    return -1;
  auto r = instance->getFunc(name)->call(std::vector<Val>{Val::makeI32(arg)});
  EXPECT_TRUE(r.ok()) << r.error().message();
  return r.ok() ? (*r)[0].of.i32 : -1;
}

std::string speculationModule() {
  std::string wat = "(module (import \"env\" \"wait\" (func $wait))\n";
  for (int i = 0; i < kCallees; ++i)
    wat += "(func $f" + std::to_string(i) + " (param i32) (result i32) (i32.add (local.get 0) " +
           "(i32.const " + std::to_string(i * i) + ")))\n";
  wat += "(func (export \"run\") (param $odd i32) (result i32) (local $sum i32)\n (call $wait)\n";
  for (int i = 0; i < kCallees; ++i)
    wat += " (if (i32.eq (local.get $odd) (i32.const " + std::to_string(i % 2) +
           ")) (then (local.set $sum (i32.add (local.get $sum) (call $f" + std::to_string(i) +
           " (i32.const " + std::to_string(i) + "))))))\n";
  return wat + " (local.get $sum)))";
}

struct SpeculationRun {
  int32_t result = -1;
  uint64_t onDemand = 0, speculative = 0;
};

// Runs `run(1)` under $PARAWASM_LAZY=1 and $PARAWASM_SPECULATE=`speculate`, without the
// interpreter (each function compiled on its first call); `wait` returns once `want` speculative
// compiles happened (or after 20 s).
SpeculationRun runSpeculation(const char *speculate, uint64_t want) {
  ::setenv("PARAWASM_LAZY", "1", 1);
  ::setenv("PARAWASM_SPECULATE", speculate, 1);
  ::setenv("PARAWASM_INTERP", "0", 1);
  compile::TierCounters before = compile::tierCounters();
  SpeculationRun out;
  {
    EngineConfig config;
    config.useCache = false;
    Engine engine(config);
    auto module = Module::fromText(engine, speculationModule(), "speculation.wat");
    ::unsetenv("PARAWASM_LAZY");
    ::unsetenv("PARAWASM_SPECULATE");
    ::unsetenv("PARAWASM_INTERP");
    EXPECT_TRUE(module.ok()) << module.error().message();
    if (!module.ok())
      return out;
    Linker linker(engine);
    linker.defineFunction("env", "wait", FuncType{}, [&](Caller &, auto, auto) {
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (compile::tierCounters().speculativeCompiles - before.speculativeCompiles < want &&
             std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return HostStatus::ok();
    });
    out.result = instantiateAndCall(linker, *module, "run", 1);
  } // the module is released: its speculation stops
  compile::TierCounters after = compile::tierCounters();
  out.onDemand = after.fastCompiles - before.fastCompiles;
  out.speculative = after.speculativeCompiles - before.speculativeCompiles;
  return out;
}

int32_t expectedSum() {
  int32_t sum = 0;
  for (int i = 1; i < kCallees; i += 2)
    sum += i + i * i;
  return sum;
}

TEST(Speculation, CompilesCalleesBeforeTheirFirstCall) {
  SpeculationRun run = runSpeculation("1", kCallees);
  EXPECT_EQ(run.result, expectedSum());
  // `run` on demand; every callee, the 20 never called too, by the speculation thread.
  EXPECT_EQ(run.onDemand, 1u);
  EXPECT_EQ(run.speculative, uint64_t(kCallees));
}

TEST(Speculation, OffCompilesOnlyWhatIsCalled) {
  SpeculationRun run = runSpeculation("0", 0);
  EXPECT_EQ(run.result, expectedSum());
  EXPECT_EQ(run.onDemand, 1u + kCallees / 2);
  EXPECT_EQ(run.speculative, 0u);
}

TEST(Speculation, ReleasedModuleStopsItsSpeculation) {
  // `wait` returns at once: the guest and the speculation thread compile side by side, and the
  // module is released while callees it never called may still be queued or compiling.
  SpeculationRun run = runSpeculation("1", 0);
  EXPECT_EQ(run.result, expectedSum());
  EXPECT_GE(run.onDemand, 1u);
  EXPECT_LE(run.onDemand + run.speculative, 1u + kCallees);
}

// Without $PARAWASM_TIERED or $PARAWASM_LAZY, a module with 128 KiB of code or more starts
// tiered (its eager -O2 compile would take tens of seconds), a smaller one eagerly.
std::string moduleWithCode(int funcs) {
  std::string wat = "(module (memory 1)\n";
  for (int i = 0; i < funcs; ++i) {
    std::string n = std::to_string(i);
    wat += "(func $f" + n + " (param $x i32) (result i32) (local $acc i32)\n";
    for (int k = 0; k < 12; ++k)
      wat += " (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $x) (i32.const " +
             std::to_string(i + k) + "))))\n (i32.store (i32.const " + std::to_string(4 * k) +
             ") (local.get $acc))\n";
    wat += " (local.get $acc))\n";
  }
  return wat + "(export \"last\" (func $f" + std::to_string(funcs - 1) + ")))";
}

struct DefaultStart {
  uint64_t tierUps = 0, fastCompiles = 0, interpreted = 0;
  int32_t result = -1;
  Module::Start start = Module::Start::Eager;
};

DefaultStart startWithoutEnvironment(int funcs) {
  ::unsetenv("PARAWASM_TIERED");
  ::unsetenv("PARAWASM_LAZY");
  compile::TierCounters before = compile::tierCounters();
  DefaultStart out;
  {
    EngineConfig config;
    config.useCache = false;
    Engine engine(config);
    auto module = Module::fromText(engine, moduleWithCode(funcs), "big.wat");
    EXPECT_TRUE(module.ok()) << module.error().message();
    if (!module.ok())
      return out;
    out.start = module->start();
    Linker linker(engine);
    out.result = instantiateAndCall(linker, *module, "last", 2);
  } // released at once: the tier-up is cancelled
  compile::TierCounters after = compile::tierCounters();
  out.tierUps = after.tierUpsStarted - before.tierUpsStarted;
  out.fastCompiles = after.fastCompiles - before.fastCompiles;
  out.interpreted = after.interpreted - before.interpreted;
  return out;
}

int32_t lastResult(int funcs) {
  int32_t acc = 0;
  for (int k = 0; k < 12; ++k)
    acc += 2 * (funcs - 1 + k);
  return acc;
}

TEST(Tiered, BigModulesStartTieredByDefault) {
  constexpr int kBig = 700; // about 160 KiB of code
  DefaultStart big = startWithoutEnvironment(kBig);
  EXPECT_EQ(big.result, lastResult(kBig));
  EXPECT_EQ(big.tierUps, 1u);
  EXPECT_EQ(big.start, Module::Start::Tiered);
  EXPECT_EQ(big.interpreted, 1u); // its first call runs in the interpreter
  EXPECT_EQ(big.fastCompiles, 0u);
  constexpr int kSmall = 20;
  DefaultStart small = startWithoutEnvironment(kSmall);
  EXPECT_EQ(small.result, lastResult(kSmall));
  EXPECT_EQ(small.tierUps, 0u);
  EXPECT_EQ(small.start, Module::Start::Eager);
  EXPECT_EQ(small.fastCompiles, 0u);
  EXPECT_EQ(small.interpreted, 0u);
}

} // namespace
} // namespace parawasm

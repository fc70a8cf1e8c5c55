// What the differential tests of the -O2 loop rewrites share (loop_widening_test.cpp,
// load_hoisting_test.cpp): one module compiled at -O2, which rewrites loops, and on the fast
// tier, which rewrites nothing; one call of an export (i32 arguments, an i64 result) on a fresh
// instance whose memory starts from the same bytes every time. The outcome holds what the two
// must agree on: the result, the trap and every byte of memory.
#pragma once

#include "parawasm/parawasm.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace parawasm::test {

// One page of pseudo-random bytes below `bound` (at most 256), the same for the same seed.
inline std::vector<uint8_t> randomPage(uint32_t seed, unsigned bound = 256) {
  std::vector<uint8_t> bytes(65536);
  std::mt19937 fill(seed);
  for (uint8_t &x : bytes)
    x = uint8_t(fill() % bound);
  return bytes;
}

struct TierOutcome {
  bool trapped = false;
  std::string trap;
  uint64_t result = 0;
  std::vector<uint8_t> memory;
};

class TierPair {
public:
  // `initialMemory`: what memory 0 holds at the start of each call, from its first byte.
  TierPair(const char *wat, std::vector<uint8_t> initialMemory)
      : wat_(wat), initialMemory_(std::move(initialMemory)) {}

  const std::vector<uint8_t> &initialMemory() const { return initialMemory_; }

  // `name(args)` on both tiers, the fast tier's outcome in `fast`. Where they differ, failures
  // that name the call, and false (the caller stops there).
  bool agree(const std::string &name, std::span<const int32_t> args, TierOutcome &fast) {
    fast = run(OptLevel::Fast, name, args);
    TierOutcome full = run(OptLevel::Full, name, args);
    std::string what = name + "(";
    for (size_t i = 0; i < args.size(); ++i)
      what += (i ? ", " : "") + std::to_string(args[i]);
    what += ")";
    EXPECT_EQ(fast.trapped, full.trapped) << what << ": " << fast.trap << " / " << full.trap;
    EXPECT_EQ(trapKind(fast.trap), trapKind(full.trap)) << what;
    EXPECT_EQ(fast.result, full.result) << what;
    EXPECT_TRUE(fast.memory == full.memory) << what << ": memory differs";
    return fast.trapped == full.trapped && trapKind(fast.trap) == trapKind(full.trap) &&
           fast.result == full.result && fast.memory == full.memory;
  }

private:
  // The trap without the function it names: -O2 inlines, and a trap in an inlined callee is
  // reported in its caller.
  static std::string trapKind(const std::string &trap) {
    return trap.substr(0, trap.find(" (in function "));
  }

  // One call on a fresh instance whose memory starts from `initialMemory_`.
  TierOutcome run(OptLevel level, const std::string &name, std::span<const int32_t> args) {
    Compiled &c = compiled(level);
    Linker linker(c.engine);
    auto instance = linker.instantiate(*c.module);
    EXPECT_TRUE(instance) << instance.error().message();
    Memory memory = *instance->memory();
    std::memcpy(memory.data(), initialMemory_.data(), initialMemory_.size());
    std::vector<Val> vals;
    for (int32_t arg : args)
      vals.push_back(Val::makeI32(arg));
    auto got = instance->getFunc(name)->call(vals);
    TierOutcome r;
    if (!got) {
      r.trapped = true;
      r.trap = got.error().message();
    } else {
      r.result = uint64_t(got.value().at(0).of.i64);
    }
    r.memory.assign(memory.data(), memory.data() + memory.size());
    return r;
  }

  // The module is declared after its engine, so it goes first.
  struct Compiled {
    Engine engine;
    std::optional<Module> module;
  };

  Compiled &compiled(OptLevel level) {
    Compiled &c = level == OptLevel::Fast ? fast_ : full_;
    if (!c.module) {
      auto m = Module::fromText(c.engine, wat_, "loops.wat");
      EXPECT_TRUE(m) << m.error().message();
      c.module = std::move(*m);
    }
    return c;
  }

  const char *wat_;
  std::vector<uint8_t> initialMemory_;
  Compiled fast_{Engine(EngineConfig{OptLevel::Fast, false, "", 1}), std::nullopt};
  Compiled full_{Engine(EngineConfig{OptLevel::Full, false, "", 1}), std::nullopt};
};

} // namespace parawasm::test

// Differential test of src/compile/load_hoisting.cpp: loops that load values from fixed addresses
// while they store, the stores of some runs landing on those values (exactly, in part, a byte of
// them, through memory.fill and memory.copy, through a call, after memory.grow, from a store
// stepping downwards, through a scattered address, before a load that comes after a store),
// run at -O2 (which hoists the loads behind
// per-store checks or one range check before the loop) and on the fast tier (which hoists
// nothing), from the same memory. Results, traps and every byte of memory must agree.
#include "parawasm/parawasm.h"
#include "tier_pair.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace parawasm;

// A kernel driver's loop: `name(a, p, k, n)` calls `body(i, a, p, k)` for i in [0, n), which
// -O2 inlines into it (as the kernel into a wasi-parallel driver), and mixes what it returns.
std::string kernelDriver(const char *name, const char *body) {
  return std::string(R"(
  (func (export ")") +
         name + R"(") (param $a i32) (param $p i32) (param $k i32) (param $n i32)
    (result i64) (local $i i32) (local $acc i64)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 7)) (i64.extend_i32_u
          (call )" +
         body + R"( (local.get $i) (local.get $a) (local.get $p) (local.get $k)))))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    (local.get $acc))
)";
}

// Each function takes (a, p, k, n) as i32 and returns an i64: a is where the loop stores, p where
// it loads its values from, k a stride or an iteration, n the trip count.
// The loops mix the loaded value ($mix, inlined) before they use it: the pass versions a loop
// only when more than the loads would leave it.
const std::string kLoops = R"((module
  (memory 1 3)
  (func $mix (param $v i32) (result i32)
    (i32.add (i32.xor (i32.mul (local.get $v) (i32.const 0x9e3779b1))
                      (i32.shr_u (local.get $v) (i32.const 7))) (i32.const 12345)))
  (func $mix64 (param $v i64) (result i64)
    (i64.add (i64.xor (i64.mul (local.get $v) (i64.const 0x9e3779b97f4a7c15))
                      (i64.shr_u (local.get $v) (i64.const 29))) (i64.const 12345)))
  ;; a[i] = *p + i; the sum of the *p seen.
  (func (export "reload") (param $a i32) (param $p i32) (param $k i32) (param $n i32) (result i64)
    (local $i i32) (local $v i32) (local $acc i64)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $v (call $mix (i32.load (local.get $p))))
        (i32.store (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))
          (i32.add (local.get $v) (local.get $i)))
        (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $v))))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    (local.get $acc))
  ;; Two values 8 bytes apart; an i64 store every k bytes (any stride, unaligned, backwards).
  (func (export "span") (param $a i32) (param $p i32) (param $k i32) (param $n i32) (result i64)
    (local $i i32) (local $x i32) (local $y i32) (local $acc i64)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $x (call $mix (i32.load (local.get $p))))
        (local.set $y (i32.load offset=8 (local.get $p)))
        (i64.store (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $k)))
          (i64.extend_i32_s (i32.add (i32.mul (local.get $x) (local.get $i)) (local.get $y))))
        (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 31))
          (i64.extend_i32_u (i32.xor (local.get $x) (local.get $y)))))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    (local.get $acc))
  ;; An i64 value and byte stores: a store that changes one byte of it.
  (func (export "bytes") (param $a i32) (param $p i32) (param $k i32) (param $n i32) (result i64)
    (local $i i32) (local $v i64) (local $acc i64)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $v (call $mix64 (i64.load (local.get $p))))
        (i32.store8 (i32.add (local.get $a) (local.get $i))
          (i32.add (i32.wrap_i64 (local.get $v)) (i32.const 1)))
        (local.set $acc (i64.add (i64.rotl (local.get $acc) (i64.const 5)) (local.get $v)))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    (local.get $acc))
  ;; memory.fill every fourth iteration, memory.copy every other.
  (func (export "bulk") (param $a i32) (param $p i32) (param $k i32) (param $n i32) (result i64)
    (local $i i32) (local $v i32) (local $acc i64)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $v (call $mix (i32.load (local.get $p))))
        (if (i32.eqz (i32.and (local.get $i) (i32.const 3)))
          (then (memory.fill (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))
                             (local.get $i) (i32.const 8))))
        (if (i32.and (local.get $i) (i32.const 1))
          (then (memory.copy (i32.add (local.get $a) (local.get $i)) (local.get $k) (i32.const 4))))
        (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 7))
                                 (i64.extend_i32_u (local.get $v))))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    (local.get $acc))
  (type $poker (func (param i32 i32)))
  (table 1 funcref)
  (elem (i32.const 0) $poke)
  (func $poke (param $p i32) (param $v i32)
    (i32.store (local.get $p) (i32.add (i32.mul (local.get $v) (i32.const 3)) (i32.const 1))))
  ;; A call in iteration k writes the value (through the table: LLVM cannot inline it into a
  ;; store it would check).
  (func (export "call") (param $a i32) (param $p i32) (param $k i32) (param $n i32) (result i64)
    (local $i i32) (local $v i32) (local $acc i64)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $v (call $mix (i32.load (local.get $p))))
        (i32.store (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2))) (local.get $v))
        (if (i32.eq (local.get $i) (local.get $k))
          (then (call_indirect (type $poker) (local.get $p) (local.get $v) (i32.const 0))))
        (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 3))
                                 (i64.extend_i32_u (local.get $v))))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    (local.get $acc))
  ;; Four rows: each loads the value once, then an inner loop writes a row.
  (func (export "nest") (param $a i32) (param $p i32) (param $k i32) (param $n i32) (result i64)
    (local $r i32) (local $j i32) (local $v i32) (local $acc i64)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $outer
        (local.set $v (call $mix (i32.load (local.get $p))))
        (local.set $j (i32.const 0))
        (loop $inner
          (i32.store (i32.add (local.get $a) (i32.shl (i32.add (i32.mul (local.get $r)
                       (local.get $n)) (local.get $j)) (i32.const 2)))
            (i32.add (local.get $v) (local.get $j)))
          (br_if $inner (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 1)))
                                (local.get $n))))
        (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 5))
                                 (i64.extend_i32_u (local.get $v))))
        (br_if $outer (i32.ne (local.tee $r (i32.add (local.get $r) (i32.const 1)))
                              (i32.const 4)))))
    (local.get $acc))
  ;; Iteration k grows memory; then the loop stores into the new page.
  (func (export "grow") (param $a i32) (param $p i32) (param $k i32) (param $n i32) (result i64)
    (local $i i32) (local $v i32) (local $acc i64)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $v (call $mix (i32.load (local.get $p))))
        (if (i32.eq (local.get $i) (local.get $k))
          (then (drop (memory.grow (i32.const 1)))))
        (i32.store (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))
          (i32.add (local.get $v) (memory.size)))
        (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 3))
                                 (i64.extend_i32_u (local.get $v))))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    (local.get $acc))
  ;; *(a - 4 m i) = i + m, m = (*p & 3) + 1: a store stepping downwards by a loaded stride, whose
  ;; range (checked before the loop) runs from its last iteration's address up to its first;
  ;; when a is small the addresses wrap below 0 and the store traps part way.
  (func (export "descend") (param $a i32) (param $p i32) (param $k i32) (param $n i32) (result i64)
    (local $i i32) (local $m i32) (local $acc i64)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $m (i32.add (i32.and (i32.load (local.get $p)) (i32.const 3)) (i32.const 1)))
        (i32.store (i32.sub (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $m))
                                                    (i32.const 2)))
                   (i32.add (local.get $i) (local.get $m)))
        (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 7))
                                 (i64.extend_i32_u (local.get $m))))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    (local.get $acc))
  ;; a[b[i] & 255] = *p: stores whose addresses are loaded too, so each is checked where it is
  ;; (the others' ranges are checked before the loop).
  (func (export "scatter") (param $a i32) (param $p i32) (param $k i32) (param $n i32) (result i64)
    (local $i i32) (local $v i32) (local $acc i64)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $v (call $mix (i32.load (local.get $p))))
        (i32.store (i32.add (local.get $a) (i32.shl (i32.and (i32.load (i32.add (local.get $k)
                     (i32.shl (local.get $i) (i32.const 2)))) (i32.const 255)) (i32.const 2)))
          (local.get $v))
        (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 3))
                                 (i64.extend_i32_u (local.get $v))))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    (local.get $acc))
  ;; reduce's kernel, inlined into its driver: a[i] = i + 7, then m = *p & 15 loaded after that
  ;; store (clang sinks a load to its first use), then a[m * k + i] = m + i. The load is hoisted
  ;; past the first store, behind one range check of both stores, after a first iteration run
  ;; as it is: when p is out of bounds, that iteration's first store must be made before the
  ;; load traps.
  (func $afterBody (param $i i32) (param $a i32) (param $p i32) (param $k i32) (result i32)
    (local $m i32)
    (i32.store (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))
               (i32.add (local.get $i) (i32.const 7)))
    (local.set $m (i32.and (i32.load (local.get $p)) (i32.const 15)))
    (i32.store (i32.add (local.get $a) (i32.shl (i32.add (i32.mul (local.get $m) (local.get $k))
                                                         (local.get $i)) (i32.const 2)))
               (i32.add (local.get $m) (local.get $i)))
    (local.get $m))
)" + kernelDriver("after", "$afterBody") +
                           R"(
  ;; p2p's kernel: d = p[1] & 7 loaded before the first store, m = p[0] & 15 after it. Both are
  ;; hoisted, with no iteration peeled off: m lies below d in memory, so once the load of d has
  ;; not trapped, neither can that of m.
  (func $leadBody (param $i i32) (param $a i32) (param $p i32) (param $k i32) (result i32)
    (local $m i32) (local $d i32)
    (local.set $d (i32.and (i32.load offset=4 (local.get $p)) (i32.const 7)))
    (i32.store (i32.add (local.get $a) (i32.shl (i32.add (local.get $i) (local.get $d))
                                                (i32.const 2)))
               (i32.add (local.get $i) (i32.const 7)))
    (local.set $m (i32.and (i32.load (local.get $p)) (i32.const 15)))
    (i32.store (i32.add (local.get $a) (i32.shl (i32.add (i32.mul (local.get $m) (local.get $k))
                                                         (local.get $i)) (i32.const 2)))
               (i32.add (local.get $m) (local.get $d)))
    (i32.add (local.get $m) (i32.shl (local.get $d) (i32.const 4))))
)" + kernelDriver("lead", "$leadBody") +
                           R"(
  ;; p2p's shape: m and d from memory, a point at (i * m + d) doubles.
  (func (export "grid") (param $a i32) (param $p i32) (param $k i32) (param $n i32) (result i64)
    (local $i i32) (local $m i32) (local $d i32) (local $at i32) (local $acc i64)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $m (i32.and (i32.load (local.get $p)) (i32.const 31)))
        (local.set $d (i32.and (i32.load offset=4 (local.get $p)) (i32.const 7)))
        (local.set $at (i32.add (local.get $a) (i32.shl (i32.add (i32.mul (local.get $i)
                         (local.get $m)) (local.get $d)) (i32.const 3))))
        (f64.store (local.get $at) (f64.add (f64.load (local.get $at))
                                            (f64.convert_i32_s (local.get $i))))
        (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 3))
                                 (i64.extend_i32_u (i32.add (local.get $m) (local.get $d)))))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    (local.get $acc))
))";

// Both tiers of kLoops; memory starts as one page of pseudo-random bytes.
test::TierPair &loops() {
  static test::TierPair pair(kLoops.c_str(), test::randomPage(11));
  return pair;
}

TEST(LoadHoisting, MinusO2AgreesWithTheFastTier) {
  const char *names[] = {"reload", "span", "bytes",   "bulk",    "call", "nest",
                         "grow",   "grid", "scatter", "descend", "after"};
  std::mt19937 rng(20261207);
  int checked = 0, trapped = 0, changed = 0, afterLoadTrapped = 0;
  for (const char *name : names)
    for (int c = 0; c < 150; ++c) {
      int32_t n = int32_t(rng() % 5 == 0 ? rng() % 4 : rng() % 300);
      int32_t a = int32_t(rng() % 60000);
      if (rng() % 8 == 0) // stores that leave memory part way: a trap, earlier stores kept
        a = int32_t(65536 - rng() % 1024);
      int32_t p;
      switch (rng() % 4) {
      case 0: // anywhere
        p = int32_t(rng() % 65520);
        break;
      default: // among the bytes the loop stores to, at any residue, or just before or after
        p = a + int32_t(rng() % (4 * uint32_t(n) + 16)) - 8;
        break;
      }
      if (std::string(name) == "descend") // its stores run downwards from a
        p = a - int32_t(rng() % (16 * uint32_t(n) + 16)) + 8;
      if (p < 0 || p > 65520)
        p = int32_t(rng() % 65520);
      bool pOutside =
          (std::string(name) == "after" || std::string(name) == "lead") && rng() % 5 == 0;
      if (pOutside) // the load traps, in the first iteration, after its first store
        p = int32_t(65533 + rng() % 8);
      int32_t k = rng() % 2 ? int32_t(rng() % (uint32_t(n) + 1)) : int32_t(rng() % 24) - 8;
      if (std::string(name) == "scatter") // k is where the indices are
        k = int32_t(rng() % 64000);
      const int32_t args[4] = {a, p, k, n};
      test::TierOutcome fast;
      ASSERT_TRUE(loops().agree(name, args, fast));
      ++checked;
      trapped += fast.trapped;
      afterLoadTrapped += pOutside && n > 0 && a < 65000 && fast.trapped;
      // The loaded bytes changed during the call: the case the checks exist for.
      bool differs = false;
      for (size_t i = size_t(p); i < size_t(p) + 12 && i < loops().initialMemory().size(); ++i)
        differs |= fast.memory[i] != loops().initialMemory()[i];
      changed += differs;
    }
  // The cases cover what they are meant to: values overwritten part way, traps, plain runs.
  EXPECT_GT(changed, 300);
  EXPECT_GT(trapped, 40);
  EXPECT_GT(checked - trapped, 800);
  EXPECT_GT(afterLoadTrapped, 10);
}

} // namespace

// Differential test of the -O2 loop rewrites (src/compile/address_widening.cpp: 64-bit address
// sums behind a run-time guard, streams with no-alias metadata, alignment prologues): loops in
// the shapes clang emits run at -O2 and on the fast tier, which rewrites nothing, from the same
// memory, with start addresses at every residue, sums that wrap around 4 GiB, accesses that
// leave memory part way (a trap, with the stores before it kept), overlapping streams and trip
// counts from 0 up. Results, traps and every byte of memory must agree.
#include "parawasm/parawasm.h"
#include "tier_pair.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace parawasm;

// Each function takes (a, b, k, n) as i32 and returns an i64; a and b are addresses, k a
// distance or stride in bytes, n the trip count.
const char *kLoops = R"((module
  (memory 1)
  ;; a[2i], a[2i+1] += 3 * b[2i], b[2i+1] (f64): clang's unrolled axpy.
  (func (export "axpy") (param $a i32) (param $b i32) (param $k i32) (param $n i32) (result i64)
    (local $i i32)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (f64.store (local.get $a) (f64.add (f64.load (local.get $a))
          (f64.mul (f64.const 3) (f64.load (local.get $b)))))
        (f64.store offset=8 (local.get $a) (f64.add (f64.load offset=8 (local.get $a))
          (f64.mul (f64.const 3) (f64.load offset=8 (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    (i64.const 0))
  ;; a[i] = a[i - k] + 1 (i64), k a multiple of 8 or not: a dependence inside one group.
  (func (export "recur") (param $a i32) (param $b i32) (param $k i32) (param $n i32) (result i64)
    (local $i i32)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (i64.store (local.get $a)
          (i64.add (i64.load (i32.sub (local.get $a) (local.get $k))) (i64.const 1)))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    (i64.const 0))
  ;; out[i] = in[i-1] + in[i] + in[i+1] + in[i + k/8] (f64) with out = a, in = b: a stencil row.
  (func (export "stencil") (param $a i32) (param $b i32) (param $k i32) (param $n i32) (result i64)
    (local $i i32)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (f64.store (local.get $a)
          (f64.add (f64.add (f64.load offset=0 (local.get $b)) (f64.load offset=8 (local.get $b)))
                   (f64.add (f64.load offset=16 (local.get $b))
                            (f64.load (i32.add (local.get $b) (local.get $k))))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    (i64.const 0))
  ;; sum of a[i] (i32, step 4) and b[i] := a[i] * 5: a sum carried out of a prologue.
  (func (export "sum") (param $a i32) (param $b i32) (param $k i32) (param $n i32) (result i64)
    (local $i i32) (local $acc i64)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $acc (i64.add (local.get $acc) (i64.load32_u (local.get $a))))
        (i32.store (local.get $b) (i32.mul (i32.load (local.get $a)) (i32.const 5)))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (i32.const 4)))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    (local.get $acc))
  ;; b[i] = a[i] ^ 0x5a (bytes): a prologue of up to 63 iterations.
  (func (export "bytes") (param $a i32) (param $b i32) (param $k i32) (param $n i32) (result i64)
    (local $i i32)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (i32.store8 (i32.add (local.get $b) (local.get $i))
          (i32.xor (i32.load8_u (i32.add (local.get $a) (local.get $i))) (i32.const 0x5a)))
        (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    (i64.const 0))
  ;; a[i] = i and a[i + k/4] = 2i (i32): two streams of one array written, k not constant.
  (func (export "two_writes") (param $a i32) (param $b i32) (param $k i32) (param $n i32) (result i64)
    (local $i i32)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (i32.store (local.get $a) (local.get $i))
        (i32.store (i32.add (local.get $a) (local.get $k)) (i32.shl (local.get $i) (i32.const 1)))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    (i64.const 0))
  ;; for r < 1 + n % 4: a[2j], a[2j+1] += 3 * b[r*k/8 + 2j], b[r*k/8 + 2j+1] for j < n / 4 (f64):
  ;; dgemm's row update, whose guard the outer loop checks once for all its rows.
  (func (export "rows") (param $a i32) (param $b i32) (param $k i32) (param $n i32) (result i64)
    (local $r i32) (local $rows i32) (local $cols i32) (local $j i32) (local $pa i32) (local $pb i32)
    (local.set $rows (i32.add (i32.const 1) (i32.rem_u (local.get $n) (i32.const 4))))
    (local.set $cols (i32.shr_u (local.get $n) (i32.const 2)))
    (block $done (br_if $done (i32.eqz (local.get $cols)))
      (loop $outer
        (local.set $pa (local.get $a))
        (local.set $pb (i32.add (local.get $b) (i32.mul (local.get $r) (local.get $k))))
        (local.set $j (i32.const 0))
        (loop $l
          (f64.store (local.get $pa) (f64.add (f64.load (local.get $pa))
            (f64.mul (f64.const 3) (f64.load (local.get $pb)))))
          (f64.store offset=8 (local.get $pa) (f64.add (f64.load offset=8 (local.get $pa))
            (f64.mul (f64.const 3) (f64.load offset=8 (local.get $pb)))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
          (br_if $l (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $cols))))
        (br_if $outer (i32.ne (local.tee $r (i32.add (local.get $r) (i32.const 1)))
                              (local.get $rows)))))
    (i64.const 0))
))";

// Both tiers of kLoops; memory starts as one page of pseudo-random small values (the f64 sums
// stay finite).
test::TierPair &loops() {
  static test::TierPair pair(kLoops, test::randomPage(7, 7));
  return pair;
}

TEST(LoopWidening, MinusO2AgreesWithTheFastTier) {
  const char *names[] = {"axpy", "recur", "stencil", "sum", "bytes", "two_writes", "rows"};
  std::mt19937 rng(20261206);
  auto address = [&]() -> int32_t {
    switch (rng() % 8) {
    case 0: // a few bytes below 4 GiB: the sums wrap to low memory
      return int32_t(uint32_t(0) - 8 * (1 + rng() % 40) - rng() % 8 * (rng() % 2));
    case 1: // near the end of the page: accesses leave memory part way
      return int32_t(65536 - rng() % 2048);
    default: // anywhere in the page, any residue
      return int32_t(rng() % 60000);
    }
  };
  // Loop nests whose rows differ in what the guard finds (argument sets of "rows"): b's row 2
  // one element behind a's (a true dependence in that row only); b's row 2 leaving memory, or
  // row 2 wrapping around 4 GiB (a negative stride); every row fine.
  const int32_t nests[][4] = {{20480, 20480 - 2 * 8192 - 8, 8192, 4 * 300 + 3},
                              {20480, 20480 - 2 * 8192 - 24, 8192, 4 * 301 + 2},
                              {0, 17600, 16384, 4 * 1100 + 2},
                              {20000, 40, -32, 4 * 50 + 3},
                              {8, 17600, 16000, 4 * 1000 + 3}};
  int checked = 0, trapped = 0, wrapped = 0;
  for (const char *name : names)
    for (int c = 0; c < 120; ++c) {
      int32_t args[4] = {address(), address(), int32_t(8 * (rng() % 64) - 256 + rng() % 2 * 4),
                         int32_t(rng() % 4 == 0 ? rng() % 8 : rng() % 700)};
      if (std::string(name) == "rows" && c < int(std::size(nests)))
        std::copy(nests[c], nests[c] + 4, args);
      if (std::string(name) == "recur" && rng() % 2)
        args[2] = 8 * (1 + rng() % 4); // a true dependence a few elements back
      if (std::string(name) == "rows" && rng() % 2) {
        // Rows of b a positive stride apart (the outer guard's case), some of them overlapping
        // a (for some rows only: then the guard decides row by row), some leaving memory or
        // wrapping around 4 GiB in a later row.
        args[2] = int32_t(8 * (rng() % 2048));
        if (rng() % 3 == 0) // one row of b up to two elements behind or ahead of a
          args[1] = args[0] - args[2] * int32_t(rng() % 4) + 8 * (int32_t(rng() % 5) - 2);
      }
      test::TierOutcome fast;
      ASSERT_TRUE(loops().agree(name, args, fast));
      ++checked;
      trapped += fast.trapped;
      wrapped += args[0] < 0 || args[1] < 0;
    }
  // The cases cover what they are meant to: traps part way, wrapping sums, and plain runs.
  EXPECT_GT(trapped, 60);
  EXPECT_GT(wrapped, 60);
  EXPECT_GT(checked - trapped, 300);
}

} // namespace

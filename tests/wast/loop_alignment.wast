;; Loops the -O2 CPU compiler aligns: when its guard holds and the loop is long enough, its
;; scalar copy runs the first iterations until the main store reaches a 64-byte boundary, and
;; the widened, vectorised loop goes on from there (compile/address_widening.cpp, version and
;; startAfterPrologue). Every start residue mod 64, short trip counts, sums carried out of the
;; prologue, and a trap inside it (from an access the guard does not cover; the stores before
;; the trap kept) must behave as the plain loop does. Issue 11.

(module
  (memory 1)

  ;; c[i] += 3 * b[i]; acc += c[i], two elements a round (clang's unrolled shape), n rounds.
  (func $axpy (export "axpy") (param $c i32) (param $b i32) (param $n i32) (result i64)
    (local $i i32) (local $acc i64)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (i64.store (local.get $c)
          (i64.add (i64.load (local.get $c)) (i64.mul (i64.const 3) (i64.load (local.get $b)))))
        (i64.store offset=8 (local.get $c)
          (i64.add (i64.load offset=8 (local.get $c))
                   (i64.mul (i64.const 3) (i64.load offset=8 (local.get $b)))))
        (local.set $acc (i64.add (local.get $acc)
          (i64.add (i64.load (local.get $c)) (i64.load offset=8 (local.get $c)))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    (local.get $acc))

  ;; The same loop with a call in it, which nothing aligns or vectorises: the reference.
  (func $same (param i64) (result i64) (local.get 0))
  (func $axpy_plain (param $c i32) (param $b i32) (param $n i32) (result i64)
    (local $i i32) (local $acc i64)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (i64.store (local.get $c)
          (i64.add (i64.load (local.get $c)) (i64.mul (i64.const 3) (call $same (i64.load (local.get $b))))))
        (i64.store offset=8 (local.get $c)
          (i64.add (i64.load offset=8 (local.get $c))
                   (i64.mul (i64.const 3) (i64.load offset=8 (local.get $b)))))
        (local.set $acc (i64.add (local.get $acc)
          (i64.add (i64.load (local.get $c)) (i64.load offset=8 (local.get $c)))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    (local.get $acc))

  ;; mem[p + 8k] = k * 7 + seed for k < count, one at a time (a call keeps it plain).
  (func $fill (param $p i32) (param $count i32) (param $seed i64)
    (local $k i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $k) (local.get $count)))
        (i64.store (i32.add (local.get $p) (i32.shl (local.get $k) (i32.const 3)))
          (call $same (i64.add (local.get $seed) (i64.mul (i64.extend_i32_u (local.get $k)) (i64.const 7)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $l))))

  ;; sum over k < count of mem[p + 8k] * (k + 1), plain.
  (func $weigh (param $p i32) (param $count i32) (result i64)
    (local $k i32) (local $acc i64)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $k) (local.get $count)))
        (local.set $acc (i64.add (local.get $acc)
          (i64.mul (call $same (i64.load (i32.add (local.get $p) (i32.shl (local.get $k) (i32.const 3)))))
                   (i64.extend_i32_u (i32.add (local.get $k) (i32.const 1))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $l)))
    (local.get $acc))

  ;; 1 when `axpy` and `axpy_plain` agree, from c = 8192 + skew and b = 32768 + skew, n rounds:
  ;; the same sum, and the same 2n + 16 values at c afterwards (the 16 past the end untouched).
  (func (export "agrees") (param $skew i32) (param $n i32) (result i32)
    (local $c i32) (local $b i32) (local $sum i64) (local $after i64)
    (local.set $c (i32.add (i32.const 8192) (local.get $skew)))
    (local.set $b (i32.add (i32.const 32768) (local.get $skew)))
    (call $fill (local.get $c) (i32.add (i32.shl (local.get $n) (i32.const 1)) (i32.const 16)) (i64.const 5))
    (call $fill (local.get $b) (i32.shl (local.get $n) (i32.const 1)) (i64.const 11))
    (local.set $sum (call $axpy (local.get $c) (local.get $b) (local.get $n)))
    (local.set $after (call $weigh (local.get $c) (i32.add (i32.shl (local.get $n) (i32.const 1)) (i32.const 16))))
    (call $fill (local.get $c) (i32.add (i32.shl (local.get $n) (i32.const 1)) (i32.const 16)) (i64.const 5))
    (i32.and
      (i64.eq (local.get $sum) (call $axpy_plain (local.get $c) (local.get $b) (local.get $n)))
      (i64.eq (local.get $after)
        (call $weigh (local.get $c) (i32.add (i32.shl (local.get $n) (i32.const 1)) (i32.const 16))))))

  ;; Absolute values for one case: skew 24, 37 rounds.
  (func (export "axpy_at") (param $skew i32) (param $n i32) (result i64)
    (call $fill (i32.add (i32.const 8192) (local.get $skew)) (i32.shl (local.get $n) (i32.const 1)) (i64.const 5))
    (call $fill (i32.add (i32.const 32768) (local.get $skew)) (i32.shl (local.get $n) (i32.const 1)) (i64.const 11))
    (call $axpy (i32.add (i32.const 8192) (local.get $skew)) (i32.add (i32.const 32768) (local.get $skew))
                (local.get $n)))

  ;; c[i] = i + mem[idx[i]]: idx holds 0, 8, 16, then 65536 (out of bounds), so the 4th
  ;; iteration traps. The guard covers c and idx (in bounds, no wrap) but not the gathered load,
  ;; so it holds, and c = 8 bytes past a 64-byte line gets a prologue of 7: the trap is inside it.
  (func (export "trap_early") (param $c i32) (param $idx i32) (param $n i32)
    (local $i i32)
    (i32.store (local.get $idx) (i32.const 0))
    (i32.store offset=4 (local.get $idx) (i32.const 8))
    (i32.store offset=8 (local.get $idx) (i32.const 16))
    (i32.store offset=12 (local.get $idx) (i32.const 65536))
    (loop $l
      (i64.store (local.get $c)
        (i64.add (i64.extend_i32_u (local.get $i)) (i64.load (i32.load (local.get $idx)))))
      (local.set $c (i32.add (local.get $c) (i32.const 8)))
      (local.set $idx (i32.add (local.get $idx) (i32.const 4)))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))

  (func (export "load") (param $a i32) (result i64) (i64.load (local.get $a)))
)

(assert_return (invoke "agrees" (i32.const 0) (i32.const 100)) (i32.const 1))
(assert_return (invoke "agrees" (i32.const 8) (i32.const 100)) (i32.const 1))
(assert_return (invoke "agrees" (i32.const 16) (i32.const 100)) (i32.const 1))
(assert_return (invoke "agrees" (i32.const 24) (i32.const 100)) (i32.const 1))
(assert_return (invoke "agrees" (i32.const 32) (i32.const 100)) (i32.const 1))
(assert_return (invoke "agrees" (i32.const 40) (i32.const 100)) (i32.const 1))
(assert_return (invoke "agrees" (i32.const 48) (i32.const 100)) (i32.const 1))
(assert_return (invoke "agrees" (i32.const 56) (i32.const 100)) (i32.const 1))
(assert_return (invoke "agrees" (i32.const 4) (i32.const 100)) (i32.const 1))
(assert_return (invoke "agrees" (i32.const 60) (i32.const 100)) (i32.const 1))
;; Short trip counts (no prologue below 16 rounds of 16 bytes) and odd ones.
(assert_return (invoke "agrees" (i32.const 16) (i32.const 1)) (i32.const 1))
(assert_return (invoke "agrees" (i32.const 16) (i32.const 2)) (i32.const 1))
(assert_return (invoke "agrees" (i32.const 16) (i32.const 3)) (i32.const 1))
(assert_return (invoke "agrees" (i32.const 16) (i32.const 4)) (i32.const 1))
(assert_return (invoke "agrees" (i32.const 48) (i32.const 1)) (i32.const 1))
(assert_return (invoke "agrees" (i32.const 0) (i32.const 1)) (i32.const 1))
(assert_return (invoke "agrees" (i32.const 40) (i32.const 17)) (i32.const 1))
(assert_return (invoke "agrees" (i32.const 8) (i32.const 1000)) (i32.const 1))
;; the sum over k < 74 of (5 + 7k) + 3 (11 + 7k) = 74 * 38 + 28 * (73 * 74 / 2)
(assert_return (invoke "axpy_at" (i32.const 24) (i32.const 37)) (i64.const 78440))

;; Iterations 0-2 store, the 4th traps: the stores made before it stay, none after it.
(assert_trap (invoke "trap_early" (i32.const 60040) (i32.const 61000) (i32.const 100))
             "out of bounds memory access")
(assert_return (invoke "load" (i32.const 60040)) (i64.const 0))
(assert_return (invoke "load" (i32.const 60048)) (i64.const 1))
(assert_return (invoke "load" (i32.const 60056)) (i64.const 2))
(assert_return (invoke "load" (i32.const 60064)) (i64.const 0))

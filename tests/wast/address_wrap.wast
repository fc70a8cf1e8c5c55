;; Address sums that wrap around 4 GiB inside loops, in the unrolled shape clang emits (x + 16 and
;; x + 24 from one pointer, stepping by 16). The effective address is (x + c) mod 2^32, so a
;; wrapped sum reaches low memory and must work; -O2 widens these sums to 64 bits only in a
;; copy of the loop guarded against wrapping (compile/address_widening.cpp), and these cases
;; must take the other copy. Issue 11.

(module
  (memory 1)
  (data (i32.const 0) "\01\00\00\00\00\00\00\00\02\00\00\00\00\00\00\00\03\00\00\00\00\00\00\00\04\00\00\00\00\00\00\00")
  (data (i32.const 32) "\05\00\00\00\00\00\00\00\06\00\00\00\00\00\00\00\07\00\00\00\00\00\00\00\08\00\00\00\00\00\00\00")

  ;; acc += mem[p + 16] + mem[p + 24]; p += 16; for n/2 rounds.
  (func (export "sum_pairs") (param $p i32) (param $n i32) (result i64)
    (local $i i32) (local $acc i64)
    (loop $l
      (local.set $acc (i64.add (local.get $acc)
        (i64.load (i32.add (local.get $p) (i32.const 16)))))
      (local.set $acc (i64.add (local.get $acc)
        (i64.load (i32.add (local.get $p) (i32.const 24)))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 2)))
                          (local.get $n))))
    (local.get $acc))

  ;; The same with a step back: acc += mem[p - 16] + mem[p - 8].
  (func (export "sum_back") (param $p i32) (param $n i32) (result i64)
    (local $i i32) (local $acc i64)
    (loop $l
      (local.set $acc (i64.add (local.get $acc)
        (i64.load (i32.sub (local.get $p) (i32.const 16)))))
      (local.set $acc (i64.add (local.get $acc)
        (i64.load (i32.sub (local.get $p) (i32.const 8)))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 2)))
                          (local.get $n))))
    (local.get $acc))

  ;; mem[p + 16] = v; mem[p + 24] = v + 1; p += 16; v += 2; for n/2 rounds.
  (func (export "store_pairs") (param $p i32) (param $n i32) (param $v i64)
    (local $i i32)
    (loop $l
      (i64.store (i32.add (local.get $p) (i32.const 16)) (local.get $v))
      (i64.store (i32.add (local.get $p) (i32.const 24)) (i64.add (local.get $v) (i64.const 1)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $v (i64.add (local.get $v) (i64.const 2)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 2)))
                          (local.get $n)))))

  (func (export "load") (param $a i32) (result i64) (i64.load (local.get $a)))
)

;; No wrap: the widened copy runs.
(assert_return (invoke "sum_pairs" (i32.const 0) (i32.const 6)) (i64.const 33))
(assert_return (invoke "sum_back" (i32.const 16) (i32.const 8)) (i64.const 36))
;; p + 16 wraps to 0 in the first round: mem[0] .. mem[56].
(assert_return (invoke "sum_pairs" (i32.const -16) (i32.const 8)) (i64.const 36))
(assert_return (invoke "sum_pairs" (i32.const -16) (i32.const 2)) (i64.const 3))
;; p + 16 = 0xfffffff0 is out of bounds before anything wraps.
(assert_trap (invoke "sum_pairs" (i32.const -32) (i32.const 8)) "out of bounds memory access")
;; p - 16 wraps below zero: 0xfffffff0 is out of bounds (a 64-bit sum would reach below the
;; memory instead).
(assert_trap (invoke "sum_back" (i32.const 0) (i32.const 8)) "out of bounds memory access")
(assert_trap (invoke "sum_back" (i32.const 8) (i32.const 8)) "out of bounds memory access")
;; The sums run off the end of memory mid-loop.
(assert_trap (invoke "sum_pairs" (i32.const 65488) (i32.const 8)) "out of bounds memory access")
;; Wrapped stores land in low memory.
(invoke "store_pairs" (i32.const -16) (i32.const 4) (i64.const 100))
(assert_return (invoke "load" (i32.const 0)) (i64.const 100))
(assert_return (invoke "load" (i32.const 8)) (i64.const 101))
(assert_return (invoke "load" (i32.const 16)) (i64.const 102))
(assert_return (invoke "load" (i32.const 24)) (i64.const 103))
(assert_return (invoke "load" (i32.const 32)) (i64.const 5))
;; A store loop that runs off the end keeps the stores made before the trap.
(assert_trap (invoke "store_pairs" (i32.const 65504) (i32.const 8) (i64.const 7))
             "out of bounds memory access")
(assert_return (invoke "load" (i32.const 65520)) (i64.const 7))
(assert_return (invoke "load" (i32.const 65528)) (i64.const 8))

;; A 4 GiB memory: the sums wrap in the middle of the loop, from the top of memory to its bottom,
;; and every access is in bounds.
(module
  (memory 65536)
  (data (i32.const -48) "\64\00\00\00\00\00\00\00\c8\00\00\00\00\00\00\00\2c\01\00\00\00\00\00\00\90\01\00\00\00\00\00\00\f4\01\00\00\00\00\00\00\58\02\00\00\00\00\00\00")
  (data (i32.const 0) "\01\00\00\00\00\00\00\00\02\00\00\00\00\00\00\00\03\00\00\00\00\00\00\00\04\00\00\00\00\00\00\00")

  (func (export "sum_pairs") (param $p i32) (param $n i32) (result i64)
    (local $i i32) (local $acc i64)
    (loop $l
      (local.set $acc (i64.add (local.get $acc)
        (i64.load (i32.add (local.get $p) (i32.const 16)))))
      (local.set $acc (i64.add (local.get $acc)
        (i64.load (i32.add (local.get $p) (i32.const 24)))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 2)))
                          (local.get $n))))
    (local.get $acc))

  ;; Stores through a static offset never wrap: p + offset is a 33-bit sum.
  (func (export "store_offset") (param $p i32) (param $n i32)
    (local $i i32)
    (loop $l
      (i64.store offset=16 (local.get $p) (i64.const -1))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                          (local.get $n)))))
  (func (export "load") (param $a i32) (result i64) (i64.load (local.get $a)))
)

;; 0xffffffd0 .. 0xfffffff8, then 0 .. 0x18: 100 + 200 + ... + 600 + 1 + 2 + 3 + 4.
(assert_return (invoke "sum_pairs" (i32.const -64) (i32.const 10)) (i64.const 2110))
(assert_return (invoke "sum_pairs" (i32.const -64) (i32.const 6)) (i64.const 2100))
;; p + 16 passes 2^32 without wrapping: the last stores trap, the earlier ones stay.
(assert_trap (invoke "store_offset" (i32.const -40) (i32.const 4)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const -24)) (i64.const -1))
(assert_return (invoke "load" (i32.const -8)) (i64.const -1))
(assert_return (invoke "load" (i32.const 0)) (i64.const 1))

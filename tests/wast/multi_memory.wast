;; Multi-memory (issue 14): several memories in one module, each with its own size, bounds, data
;; segments, growth and bulk operations; memories imported and exported by index.

(module
  (memory $a 1)
  (memory $b 2 4)
  (memory $c 0)
  (data (memory $a) (i32.const 0) "\01\02\03\04")
  (data $bd (memory $b) (i32.const 65536) "\aa\bb\cc\dd")
  (data $p "\11\22\33")

  (func (export "load_a") (param i32) (result i32) (i32.load8_u $a (local.get 0)))
  (func (export "load_b") (param i32) (result i32) (i32.load8_u $b (local.get 0)))
  (func (export "load_c") (param i32) (result i32) (i32.load8_u $c (local.get 0)))
  (func (export "load32_b") (param i32) (result i32) (i32.load $b offset=65536 (local.get 0)))
  (func (export "store_a") (param i32 i32) (i32.store8 $a (local.get 0) (local.get 1)))
  (func (export "store_b") (param i32 i64) (i64.store $b (local.get 0) (local.get 1)))
  (func (export "load64_b") (param i32) (result i64) (i64.load $b (local.get 0)))
  (func (export "store_c") (param i32 i32) (i32.store8 $c (local.get 0) (local.get 1)))

  (func (export "size_a") (result i32) (memory.size $a))
  (func (export "size_b") (result i32) (memory.size $b))
  (func (export "size_c") (result i32) (memory.size $c))
  (func (export "grow_b") (param i32) (result i32) (memory.grow $b (local.get 0)))
  (func (export "grow_c") (param i32) (result i32) (memory.grow $c (local.get 0)))

  ;; memory.copy names the destination first.
  (func (export "copy_b_to_a") (param i32 i32 i32)
    (memory.copy $a $b (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy_a_to_b") (param i32 i32 i32)
    (memory.copy $b $a (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy_within_b") (param i32 i32 i32)
    (memory.copy $b $b (local.get 0) (local.get 1) (local.get 2)))
  (func (export "fill_b") (param i32 i32 i32)
    (memory.fill $b (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init_c") (param i32 i32 i32)
    (memory.init $c $p (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init_b") (param i32 i32 i32)
    (memory.init $b $p (local.get 0) (local.get 1) (local.get 2)))

  ;; A loop over two memories (what address widening versions for memory 0 only).
  (func (export "sum_both") (param i32) (result i32) (local i32 i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get 1) (local.get 0)))
        (local.set 2 (i32.add (local.get 2)
          (i32.add (i32.load8_u $a (local.get 1)) (i32.load8_u $b (local.get 1)))))
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br $next)))
    (local.get 2))
)

;; Each memory has its own contents and data segments.
(assert_return (invoke "load_a" (i32.const 0)) (i32.const 1))
(assert_return (invoke "load_a" (i32.const 3)) (i32.const 4))
(assert_return (invoke "load_b" (i32.const 0)) (i32.const 0))
(assert_return (invoke "load_b" (i32.const 65536)) (i32.const 0xaa))
(assert_return (invoke "load32_b" (i32.const 0)) (i32.const 0xddccbbaa))
(invoke "store_a" (i32.const 7) (i32.const 99))
(assert_return (invoke "load_a" (i32.const 7)) (i32.const 99))
(assert_return (invoke "load_b" (i32.const 7)) (i32.const 0))
(invoke "store_b" (i32.const 100) (i64.const 0x0102030405060708))
(assert_return (invoke "load64_b" (i32.const 100)) (i64.const 0x0102030405060708))
(assert_return (invoke "load_a" (i32.const 100)) (i32.const 0))

;; Each memory has its own size and bounds.
(assert_return (invoke "size_a") (i32.const 1))
(assert_return (invoke "size_b") (i32.const 2))
(assert_return (invoke "size_c") (i32.const 0))
(assert_return (invoke "load_b" (i32.const 131071)) (i32.const 0))
(assert_trap (invoke "load_a" (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke "load_b" (i32.const 131072)) "out of bounds memory access")
(assert_trap (invoke "load_c" (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "store_c" (i32.const 0) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "load32_b" (i32.const 65533)) "out of bounds memory access")

;; Growing one memory leaves the others alone; each has its own maximum.
(assert_return (invoke "grow_c" (i32.const 1)) (i32.const 0))
(assert_return (invoke "size_c") (i32.const 1))
(invoke "store_c" (i32.const 65535) (i32.const 5))
(assert_return (invoke "load_c" (i32.const 65535)) (i32.const 5))
(assert_return (invoke "size_a") (i32.const 1))
(assert_return (invoke "grow_b" (i32.const 2)) (i32.const 2))
(assert_return (invoke "grow_b" (i32.const 1)) (i32.const -1))
(assert_return (invoke "size_b") (i32.const 4))
(assert_return (invoke "load_b" (i32.const 262143)) (i32.const 0))
(assert_trap (invoke "load_b" (i32.const 262144)) "out of bounds memory access")
(assert_trap (invoke "load_a" (i32.const 65536)) "out of bounds memory access")

;; memory.copy between memories, in both directions, and within one.
(invoke "copy_b_to_a" (i32.const 10) (i32.const 65536) (i32.const 4))
(assert_return (invoke "load_a" (i32.const 10)) (i32.const 0xaa))
(assert_return (invoke "load_a" (i32.const 13)) (i32.const 0xdd))
(assert_return (invoke "load_b" (i32.const 10)) (i32.const 0))
(invoke "copy_a_to_b" (i32.const 200) (i32.const 0) (i32.const 4))
(assert_return (invoke "load_b" (i32.const 200)) (i32.const 1))
(assert_return (invoke "load_b" (i32.const 203)) (i32.const 4))
(invoke "copy_within_b" (i32.const 201) (i32.const 200) (i32.const 4))
(assert_return (invoke "load_b" (i32.const 201)) (i32.const 1))
(assert_return (invoke "load_b" (i32.const 204)) (i32.const 4))
;; Bounds are checked against each memory's own size: b has 4 pages, a has 1.
(invoke "copy_a_to_b" (i32.const 196608) (i32.const 0) (i32.const 65536))
(assert_trap (invoke "copy_b_to_a" (i32.const 0) (i32.const 196608) (i32.const 65537))
  "out of bounds memory access")
(assert_trap (invoke "copy_a_to_b" (i32.const 0) (i32.const 1) (i32.const 65536))
  "out of bounds memory access")
(invoke "copy_b_to_a" (i32.const 65536) (i32.const 0) (i32.const 0))
(assert_trap (invoke "copy_b_to_a" (i32.const 65537) (i32.const 0) (i32.const 0))
  "out of bounds memory access")

;; memory.fill and memory.init on a memory other than memory 0.
(invoke "fill_b" (i32.const 300) (i32.const 0x7f) (i32.const 3))
(assert_return (invoke "load_b" (i32.const 302)) (i32.const 0x7f))
(assert_return (invoke "load_a" (i32.const 302)) (i32.const 0))
(assert_trap (invoke "fill_b" (i32.const 262143) (i32.const 1) (i32.const 2))
  "out of bounds memory access")
(invoke "init_c" (i32.const 65533) (i32.const 0) (i32.const 3))
(assert_return (invoke "load_c" (i32.const 65535)) (i32.const 0x33))
(assert_trap (invoke "init_c" (i32.const 65534) (i32.const 0) (i32.const 3))
  "out of bounds memory access")
(invoke "init_b" (i32.const 400) (i32.const 1) (i32.const 2))
(assert_return (invoke "load_b" (i32.const 400)) (i32.const 0x22))

(assert_return (invoke "sum_both" (i32.const 4)) (i32.const 10))

;; Exporting and importing several memories.
(module $M
  (memory (export "m0") 1)
  (memory (export "m1") 1 2)
  (data (memory 1) (i32.const 0) "\2a")
  (func (export "get1") (param i32) (result i32) (i32.load8_u 1 (local.get 0))))
(register "M" $M)

(module $N
  (import "M" "m1" (memory $x 1 2))
  (import "M" "m0" (memory $y 1))
  (memory $own 1)
  (data (memory $x) (i32.const 1) "\2b")
  (func (export "x") (param i32) (result i32) (i32.load8_u $x (local.get 0)))
  (func (export "y") (param i32) (result i32) (i32.load8_u $y (local.get 0)))
  (func (export "set_y") (param i32 i32) (i32.store8 $y (local.get 0) (local.get 1)))
  (func (export "own") (param i32) (result i32) (i32.load8_u $own (local.get 0)))
  (func (export "grow_x") (result i32) (memory.grow $x (i32.const 1)))
  (func (export "size_x") (result i32) (memory.size $x)))

(assert_return (invoke $N "x" (i32.const 0)) (i32.const 0x2a))
(assert_return (invoke $N "x" (i32.const 1)) (i32.const 0x2b))
(assert_return (invoke $M "get1" (i32.const 1)) (i32.const 0x2b))
(invoke $N "set_y" (i32.const 5) (i32.const 6))
(assert_return (invoke $N "y" (i32.const 5)) (i32.const 6))
(assert_return (invoke $N "own" (i32.const 5)) (i32.const 0))
(assert_return (invoke $N "grow_x") (i32.const 1))
(assert_return (invoke $N "size_x") (i32.const 2))
(assert_return (invoke $M "get1" (i32.const 131071)) (i32.const 0))
(assert_return (invoke $N "grow_x") (i32.const -1))

;; An import whose limits the provided memory does not meet.
(assert_unlinkable
  (module (import "M" "m0" (memory 1)) (import "M" "m1" (memory 3)))
  "incompatible import type")

;; A data segment that does not fit its memory fails instantiation.
(assert_trap
  (module (memory 1) (memory 0) (data (memory 1) (i32.const 0) "x"))
  "out of bounds memory access")

;; Validation: memory indices must exist.
(assert_invalid
  (module (memory 1) (func (drop (i32.load 1 (i32.const 0)))))
  "memory variable out of range")
(assert_invalid
  (module (memory 1) (memory 1) (func (drop (memory.size 2))))
  "memory variable out of range")
(assert_invalid
  (module (memory 1) (func (memory.copy 0 1 (i32.const 0) (i32.const 0) (i32.const 0))))
  "memory variable out of range")
(assert_invalid
  (module (memory 1) (data (memory 1) (i32.const 0) ""))
  "memory variable out of range")

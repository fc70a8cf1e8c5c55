;; Every kind of trap, raised directly, from nested calls, from dropped results (which a
;; compiler must not delete), and the instance staying usable after each trap.

(module
  (memory 1)
  (table 2 funcref)
  (type $v (func))
  (func $nop)
  (elem (i32.const 0) $nop)

  (func (export "unreachable") (unreachable))
  (func (export "unreachable-in-value") (result i32) (i32.add (i32.const 1) (unreachable)))
  (func (export "div_s-zero") (param i32) (drop (i32.div_s (local.get 0) (i32.const 0))))
  (func (export "div_u-zero") (param i32) (drop (i32.div_u (local.get 0) (i32.const 0))))
  (func (export "rem_s-zero") (param i64) (drop (i64.rem_s (local.get 0) (i64.const 0))))
  (func (export "rem_u-zero") (param i64) (drop (i64.rem_u (local.get 0) (i64.const 0))))
  (func (export "div_s-overflow32") (param i32 i32) (drop (i32.div_s (local.get 0) (local.get 1))))
  (func (export "div_s-overflow64") (param i64 i64) (drop (i64.div_s (local.get 0) (local.get 1))))
  (func (export "rem_s-no-overflow") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
  (func (export "trunc-nan") (param f32) (drop (i32.trunc_f32_s (local.get 0))))
  (func (export "trunc-big") (param f64) (drop (i64.trunc_f64_u (local.get 0))))
  (func (export "trunc-neg-u") (param f64) (drop (i32.trunc_f64_u (local.get 0))))
  (func (export "load-oob") (param i32) (drop (i32.load (local.get 0))))
  (func (export "load-oob-f64") (param i32) (drop (f64.load offset=8 (local.get 0))))
  (func (export "store-oob") (param i32) (i64.store (local.get 0) (i64.const 1)))
  (func (export "table-oob") (param i32) (drop (table.get 0 (local.get 0))))
  (func (export "call-undefined") (param i32) (call_indirect (type $v) (local.get 0)))
  (func (export "call-mismatch") (param i32) (result i32) (call_indirect (result i32) (local.get 0)))
  (func (export "fill-oob") (param i32 i32) (memory.fill (local.get 0) (i32.const 0) (local.get 1)))

  ;; traps deep in a call chain unwind every frame
  (func $level3 (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
  (func $level2 (param i32) (result i32) (i32.add (call $level3 (local.get 0)) (i32.const 1)))
  (func $level1 (param i32) (result i32) (i32.mul (call $level2 (local.get 0)) (i32.const 2)))
  (func (export "chain") (param i32) (result i32) (call $level1 (local.get 0)))

  ;; memory writes made before a trap are kept
  (func (export "write-then-trap") (param i32)
    (i32.store (i32.const 0) (i32.const 0x11223344))
    (drop (i32.div_s (i32.const 1) (local.get 0)))
    (i32.store (i32.const 0) (i32.const 0x55667788)))
  (func (export "read0") (result i32) (i32.load (i32.const 0)))

  ;; a trap inside a loop that has already made progress
  (func (export "loop-trap") (param $n i32) (local $i i32)
    (loop $l
      (i32.store8 (local.get $i) (i32.const 1))
      (local.set $i (i32.add (local.get $i) (i32.const 0x4000)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
  (func (export "read8") (param i32) (result i32) (i32.load8_u (local.get 0)))
)

(assert_trap (invoke "unreachable") "unreachable")
(assert_trap (invoke "unreachable-in-value") "unreachable")
(assert_trap (invoke "div_s-zero" (i32.const 5)) "integer divide by zero")
(assert_trap (invoke "div_s-zero" (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "div_u-zero" (i32.const -1)) "integer divide by zero")
(assert_trap (invoke "rem_s-zero" (i64.const 5)) "integer divide by zero")
(assert_trap (invoke "rem_u-zero" (i64.const 5)) "integer divide by zero")
(assert_trap (invoke "div_s-overflow32" (i32.const 0x80000000) (i32.const -1)) "integer overflow")
(assert_return (invoke "div_s-overflow32" (i32.const 0x80000001) (i32.const -1)))
(assert_trap (invoke "div_s-overflow64" (i64.const 0x8000000000000000) (i64.const -1)) "integer overflow")
(assert_return (invoke "div_s-overflow64" (i64.const 0x8000000000000000) (i64.const 1)))
(assert_return (invoke "rem_s-no-overflow" (i32.const 0x80000000) (i32.const -1)) (i32.const 0))
(assert_trap (invoke "trunc-nan" (f32.const nan)) "invalid conversion to integer")
(assert_trap (invoke "trunc-nan" (f32.const -nan:0x1)) "invalid conversion to integer")
(assert_trap (invoke "trunc-nan" (f32.const 3e9)) "integer overflow")
(assert_trap (invoke "trunc-big" (f64.const 0x1p64)) "integer overflow")
(assert_trap (invoke "trunc-big" (f64.const inf)) "integer overflow")
(assert_trap (invoke "trunc-big" (f64.const -1)) "integer overflow")
(assert_return (invoke "trunc-big" (f64.const -0.75)))
(assert_trap (invoke "trunc-neg-u" (f64.const -1)) "integer overflow")
(assert_trap (invoke "trunc-neg-u" (f64.const nan)) "invalid conversion to integer")
(assert_trap (invoke "load-oob" (i32.const 65533)) "out of bounds memory access")
(assert_trap (invoke "load-oob" (i32.const 0x7fffffff)) "out of bounds memory access")
(assert_trap (invoke "load-oob" (i32.const 0xfffffffc)) "out of bounds memory access")
(assert_trap (invoke "load-oob-f64" (i32.const 65521)) "out of bounds memory access")
(assert_trap (invoke "load-oob-f64" (i32.const -8)) "out of bounds memory access")
(assert_return (invoke "load-oob-f64" (i32.const 65520)))
(assert_trap (invoke "store-oob" (i32.const 65529)) "out of bounds memory access")
(assert_trap (invoke "store-oob" (i32.const -1)) "out of bounds memory access")
(assert_trap (invoke "table-oob" (i32.const 2)) "out of bounds table access")
(assert_trap (invoke "table-oob" (i32.const -1)) "out of bounds table access")
(assert_return (invoke "call-undefined" (i32.const 0)))
(assert_trap (invoke "call-undefined" (i32.const 1)) "uninitialized element")
(assert_trap (invoke "call-undefined" (i32.const 2)) "undefined element")
(assert_trap (invoke "call-mismatch" (i32.const 0)) "indirect call type mismatch")
(assert_trap (invoke "fill-oob" (i32.const 65535) (i32.const 2)) "out of bounds memory access")

(assert_trap (invoke "chain" (i32.const 0)) "integer divide by zero")
(assert_return (invoke "chain" (i32.const 1)) (i32.const 4))
(assert_return (invoke "chain" (i32.const 2)) (i32.const 2))

(assert_return (invoke "read0") (i32.const 0))
(assert_trap (invoke "write-then-trap" (i32.const 0)) "integer divide by zero")
(assert_return (invoke "read0") (i32.const 0x11223344))
(assert_return (invoke "write-then-trap" (i32.const 1)))
(assert_return (invoke "read0") (i32.const 0x55667788))

(assert_trap (invoke "loop-trap" (i32.const 0x20000)) "out of bounds memory access")
(assert_return (invoke "read8" (i32.const 0x4000)) (i32.const 1))
(assert_return (invoke "read8" (i32.const 0xc000)) (i32.const 1))
(assert_return (invoke "read8" (i32.const 0xc001)) (i32.const 0))

;; Traps while instantiating: a trapping start function, and out-of-bounds active segments.
;; The writes of segments placed before the failing one stay visible through shared imports.
(module $shared
  (memory (export "mem") 1)
  (table (export "tab") 3 funcref)
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "tab-null") (param i32) (result i32) (ref.is_null (table.get 0 (local.get 0))))
)
(register "shared" $shared)

(assert_trap
  (module
    (func $start (unreachable))
    (start $start))
  "unreachable")

(assert_trap
  (module
    (import "shared" "mem" (memory 1))
    (data (i32.const 10) "\01")
    (data (i32.const 65535) "\02\03"))
  "out of bounds memory access")
(assert_return (invoke $shared "peek" (i32.const 10)) (i32.const 1))
(assert_return (invoke $shared "peek" (i32.const 65535)) (i32.const 0))

(assert_trap
  (module
    (import "shared" "tab" (table 3 funcref))
    (func $f)
    (elem (i32.const 0) $f)
    (elem (i32.const 2) $f $f))
  "out of bounds table access")
(assert_return (invoke $shared "tab-null" (i32.const 0)) (i32.const 0))
(assert_return (invoke $shared "tab-null" (i32.const 2)) (i32.const 1))

(assert_trap
  (module
    (import "shared" "mem" (memory 1))
    (func $start (i32.store8 (i32.const 20) (i32.const 9)) (unreachable))
    (start $start))
  "unreachable")
(assert_return (invoke $shared "peek" (i32.const 20)) (i32.const 9))

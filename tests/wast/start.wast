;; The start function: it runs once at instantiation, after segments are initialised,
;; may call imports and other functions, and a trap in it fails instantiation.

(module
  (memory 1)
  (data (i32.const 0) "\05")
  (global $runs (mut i32) (i32.const 0))
  (func $start
    (global.set $runs (i32.add (global.get $runs) (i32.const 1)))
    ;; sees the data segment already applied
    (i32.store8 (i32.const 1) (i32.add (i32.load8_u (i32.const 0)) (i32.const 1))))
  (start $start)
  (func (export "runs") (result i32) (global.get $runs))
  (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "again") (call $start))
)
(assert_return (invoke "runs") (i32.const 1))
(assert_return (invoke "byte" (i32.const 1)) (i32.const 6))
(assert_return (invoke "again"))
(assert_return (invoke "runs") (i32.const 2))
(assert_return (invoke "byte" (i32.const 1)) (i32.const 6))

;; The start function may be an import.
(module
  (import "spectest" "print" (func $p))
  (start $p)
)

;; The start function may be exported too, and may call other functions.
(module
  (global $g (mut i32) (i32.const 0))
  (func $helper (param i32) (global.set $g (i32.add (global.get $g) (local.get 0))))
  (func $s (export "s") (call $helper (i32.const 10)) (call $helper (i32.const 5)))
  (start $s)
  (func (export "g") (result i32) (global.get $g))
)
(assert_return (invoke "g") (i32.const 15))
(assert_return (invoke "s"))
(assert_return (invoke "g") (i32.const 30))

;; Start functions see imported state, and their writes to it persist.
(module $mem
  (memory (export "m") 1)
  (global (export "c") (mut i32) (i32.const 100))
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
)
(register "mem" $mem)
(module
  (import "mem" "m" (memory 1))
  (import "mem" "c" (global $c (mut i32)))
  (func $s
    (i32.store8 (i32.const 7) (i32.const 77))
    (global.set $c (i32.mul (global.get $c) (i32.const 2))))
  (start $s)
)
(assert_return (invoke $mem "peek" (i32.const 7)) (i32.const 77))
(assert_return (get $mem "c") (i32.const 200))

;; A trapping start function fails instantiation; writes made before the trap persist.
(assert_trap
  (module
    (import "mem" "m" (memory 1))
    (func $s (i32.store8 (i32.const 8) (i32.const 88)) (drop (i32.div_u (i32.const 1) (i32.const 0))))
    (start $s))
  "integer divide by zero")
(assert_return (invoke $mem "peek" (i32.const 8)) (i32.const 88))
(assert_trap
  (module
    (memory 1)
    (func $s (drop (i32.load (i32.const 65536))))
    (start $s))
  "out of bounds memory access")
(assert_trap
  (module
    (table 1 funcref)
    (func $s (call_indirect (i32.const 0)))
    (start $s))
  "uninitialized element")

;; Start function typing.
(assert_invalid (module (func $s (param i32)) (start $s)) "start function")
(assert_invalid (module (func $s (result i32) (i32.const 0)) (start $s)) "start function")
(assert_invalid (module (start 0)) "unknown function")

;; Extended constant expressions (issue 14): i32/i64 add, sub, mul and global.get in global
;; initialisers and segment offsets; arithmetic wraps.
(module
  (import "spectest" "global_i32" (global $g i32))
  (global $base i32 (i32.const 8))
  (global (export "sum") i32 (i32.add (global.get $g) (i32.const 4)))
  (global (export "wrap") i32 (i32.mul (i32.const 0x10000) (i32.const 0x10001)))
  (global (export "wide") i64 (i64.sub (i64.const 0) (i64.mul (i64.const 3) (i64.const 0x4000000000000000))))
  (global (export "nested") i32
    (i32.sub (i32.add (global.get $g) (i32.mul (i32.const 2) (i32.const 3))) (i32.const 672)))
  (memory 1)
  (data (i32.add (i32.const 1) (i32.mul (i32.const 2) (i32.const 5))) "\2a")
  (table 10 funcref)
  (elem (i32.sub (i32.const 10) (i32.const 1)) func $f)
  (func $f (result i32) (i32.const 99))
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "call") (param i32) (result i32) (call_indirect (result i32) (local.get 0)))
)
(assert_return (get "sum") (i32.const 670))
(assert_return (get "wrap") (i32.const 0x10000))
(assert_return (get "wide") (i64.const 0x4000000000000000))
(assert_return (get "nested") (i32.const 0))
(assert_return (invoke "load" (i32.const 11)) (i32.const 42))
(assert_return (invoke "call" (i32.const 9)) (i32.const 99))

;; An offset computed past the end still fails instantiation.
(assert_trap
  (module (memory 1) (data (i32.add (i32.const 65535) (i32.const 1)) "x"))
  "out of bounds memory access")

(assert_invalid
  (module (global i32 (i32.add (i32.const 1) (i64.const 2))))
  "type mismatch")
(assert_invalid
  (module (global i32 (i32.div_u (i32.const 1) (i32.const 2))))
  "constant expression required")
(assert_invalid
  (module (global i64 (i32.add (i32.const 1) (i32.const 2))))
  "type mismatch")
(assert_invalid
  (module (global i32 (f32.add (f32.const 1) (f32.const 2))))
  "constant expression required")

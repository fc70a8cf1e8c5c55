;; Globals: every value type, mutable and immutable, exported and imported (from the
;; spectest host module and from a registered Wasm module), initialised from imported
;; globals, and shared mutable globals seen by two instances.

(module
  (import "spectest" "global_i32" (global $imp-i32 i32))
  (import "spectest" "global_i64" (global $imp-i64 i64))
  (import "spectest" "global_f32" (global $imp-f32 f32))
  (import "spectest" "global_f64" (global $imp-f64 f64))
  (global $a i32 (i32.const -2))
  (global $b i64 (i64.const 0x7fffffffffffffff))
  (global $c f32 (f32.const -0))
  (global $d f64 (f64.const nan:0x1234))
  (global $x (mut i32) (i32.const 10))
  (global $y (mut i64) (i64.const -10))
  (global $z (mut f32) (f32.const 1.5))
  (global $w (mut f64) (f64.const -2.25))
  (global $from-import i32 (global.get $imp-i32))
  (global $mut-from-import (mut i64) (global.get $imp-i64))
  (global (export "exported-const") i32 (i32.const 1234))
  (global (export "exported-mut") (mut i32) (i32.const 5678))
  (global $v (mut v128) (v128.const i32x4 1 2 3 4))

  (func (export "get-a") (result i32) (global.get $a))
  (func (export "get-b") (result i64) (global.get $b))
  (func (export "get-c") (result f32) (global.get $c))
  (func (export "get-d") (result f64) (global.get $d))
  (func (export "get-x") (result i32) (global.get $x))
  (func (export "get-y") (result i64) (global.get $y))
  (func (export "get-z") (result f32) (global.get $z))
  (func (export "get-w") (result f64) (global.get $w))
  (func (export "set-x") (param i32) (global.set $x (local.get 0)))
  (func (export "set-y") (param i64) (global.set $y (local.get 0)))
  (func (export "set-z") (param f32) (global.set $z (local.get 0)))
  (func (export "set-w") (param f64) (global.set $w (local.get 0)))
  (func (export "imp-i32") (result i32) (global.get $imp-i32))
  (func (export "imp-i64") (result i64) (global.get $imp-i64))
  ;; the spec gives global_f32/global_f64 the value 666.6; some hosts use 666.0
  (func (export "imp-f32") (result i32)
    (i32.and (f32.ge (global.get $imp-f32) (f32.const 666)) (f32.lt (global.get $imp-f32) (f32.const 667))))
  (func (export "imp-f64") (result i32)
    (i32.and (f64.ge (global.get $imp-f64) (f64.const 666)) (f64.lt (global.get $imp-f64) (f64.const 667))))
  (func (export "from-import") (result i32) (global.get $from-import))
  (func (export "mut-from-import") (result i64) (global.get $mut-from-import))
  (func (export "bump-x") (result i32)
    (global.set $x (i32.add (global.get $x) (i32.const 1)))
    (global.get $x))
  (func (export "set-v-lane") (param i32)
    (global.set $v (i32x4.replace_lane 2 (global.get $v) (local.get 0))))
  (func (export "get-v-lane") (param i32) (result i32)
    (i32x4.extract_lane 0 (i8x16.swizzle (global.get $v)
      (i8x16.add (i8x16.splat (i32.mul (local.get 0) (i32.const 4)))
                 (v128.const i8x16 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3)))))
  (func (export "swap-xy-in-block") (result i32)
    ;; global.set inside nested control flow, read back after it
    (block (loop (global.set $x (i32.const 99)) (br 1)))
    (global.get $x))
)

(assert_return (invoke "get-a") (i32.const -2))
(assert_return (invoke "get-b") (i64.const 0x7fffffffffffffff))
(assert_return (invoke "get-c") (f32.const -0))
(assert_return (invoke "get-d") (f64.const nan:0x1234))
(assert_return (invoke "get-x") (i32.const 10))
(assert_return (invoke "get-y") (i64.const -10))
(assert_return (invoke "get-z") (f32.const 1.5))
(assert_return (invoke "get-w") (f64.const -2.25))
(assert_return (invoke "imp-i32") (i32.const 666))
(assert_return (invoke "imp-i64") (i64.const 666))
(assert_return (invoke "imp-f32") (i32.const 1))
(assert_return (invoke "imp-f64") (i32.const 1))
(assert_return (invoke "from-import") (i32.const 666))
(assert_return (invoke "mut-from-import") (i64.const 666))
(assert_return (invoke "set-x" (i32.const -1)))
(assert_return (invoke "get-x") (i32.const -1))
(assert_return (invoke "bump-x") (i32.const 0))
(assert_return (invoke "bump-x") (i32.const 1))
(assert_return (invoke "set-y" (i64.const 0x8000000000000000)))
(assert_return (invoke "get-y") (i64.const 0x8000000000000000))
(assert_return (invoke "set-z" (f32.const nan:0x7fffff)))
(assert_return (invoke "get-z") (f32.const nan:0x7fffff))
(assert_return (invoke "set-z" (f32.const -inf)))
(assert_return (invoke "get-z") (f32.const -inf))
(assert_return (invoke "set-w" (f64.const -nan:0x1)))
(assert_return (invoke "get-w") (f64.const -nan:0x1))
(assert_return (invoke "set-w" (f64.const 0x1p-1074)))
(assert_return (invoke "get-w") (f64.const 0x1p-1074))
(assert_return (invoke "get-v-lane" (i32.const 0)) (i32.const 1))
(assert_return (invoke "get-v-lane" (i32.const 2)) (i32.const 3))
(assert_return (invoke "set-v-lane" (i32.const -7)))
(assert_return (invoke "get-v-lane" (i32.const 2)) (i32.const -7))
(assert_return (invoke "get-v-lane" (i32.const 3)) (i32.const 4))
(assert_return (invoke "swap-xy-in-block") (i32.const 99))
(assert_return (get "exported-const") (i32.const 1234))
(assert_return (get "exported-mut") (i32.const 5678))

;; Exported mutable globals are shared by reference between instances.
(module $owner
  (global (export "counter") (mut i32) (i32.const 0))
  (global (export "seed") i64 (i64.const 77))
  (func (export "inc") (result i32)
    (global.set 0 (i32.add (global.get 0) (i32.const 1)))
    (global.get 0))
)
(register "owner" $owner)

(module $user
  (import "owner" "counter" (global $c (mut i32)))
  (import "owner" "seed" (global $s i64))
  (global $derived i64 (global.get $s))
  (func (export "read") (result i32) (global.get $c))
  (func (export "write") (param i32) (global.set $c (local.get 0)))
  (func (export "derived") (result i64) (global.get $derived))
)

(assert_return (invoke $user "read") (i32.const 0))
(assert_return (invoke $owner "inc") (i32.const 1))
(assert_return (invoke $user "read") (i32.const 1))
(assert_return (invoke $user "write" (i32.const 40)))
(assert_return (invoke $owner "inc") (i32.const 41))
(assert_return (get $owner "counter") (i32.const 41))
(assert_return (invoke $user "derived") (i64.const 77))

;; Invalid uses of globals.
(assert_invalid
  (module (global $g i32 (i32.const 0)) (func (global.set $g (i32.const 1))))
  "global is immutable")
(assert_invalid
  (module (import "spectest" "global_i32" (global $g i32)) (func (global.set $g (i32.const 1))))
  "global is immutable")
(assert_invalid
  (module (global $g (mut i32) (i32.const 0)) (func (global.set $g (i64.const 1))))
  "type mismatch")
(assert_invalid
  (module (global $g i64 (i64.const 0)) (func (result i32) (global.get $g)))
  "type mismatch")
(assert_invalid
  (module (global i32 (i64.const 0)))
  "type mismatch")
(assert_invalid
  (module (global i32 (i32.const 0) (i32.const 0)))
  "type mismatch")
(assert_invalid
  (module (global i32 (i32.ctz (i32.const 1))))
  "constant expression required")
(assert_invalid
  (module (func (result i32) (global.get 0)))
  "unknown global")
(assert_invalid
  (module (global (mut i32) (i32.const 0)) (global i32 (global.get 0)))
  "constant expression required")
(assert_invalid
  (module (global $a i32 (i32.const 0)) (global i32 (global.get $a)))
  "unknown global")

;; Importing with the wrong type or mutability fails to link.
(assert_unlinkable
  (module (import "owner" "counter" (global i32)))
  "incompatible import type")
(assert_unlinkable
  (module (import "owner" "seed" (global (mut i64))))
  "incompatible import type")
(assert_unlinkable
  (module (import "owner" "seed" (global i32)))
  "incompatible import type")
(assert_unlinkable
  (module (import "owner" "missing" (global i32)))
  "unknown import")

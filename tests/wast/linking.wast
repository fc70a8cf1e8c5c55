;; Linking: register, imports of functions, globals, memories and tables from the spectest
;; host module and from other Wasm instances, re-exports, shared state between instances,
;; import mismatches (assert_unlinkable) and instantiation failures.

;; Host imports from spectest.
(module
  (import "spectest" "print" (func $print))
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "print_i64" (func $print_i64 (param i64)))
  (import "spectest" "print_f32" (func $print_f32 (param f32)))
  (import "spectest" "print_f64" (func $print_f64 (param f64)))
  (import "spectest" "print_i32_f32" (func $print_i32_f32 (param i32 f32)))
  (import "spectest" "print_f64_f64" (func $print_f64_f64 (param f64 f64)))
  (import "spectest" "memory" (memory 1 2))
  (import "spectest" "table" (table 10 20 funcref))
  (import "spectest" "global_i32" (global $g i32))
  (func (export "print-all")
    (call $print)
    (call $print_i32 (i32.const 1))
    (call $print_i64 (i64.const 2))
    (call $print_f32 (f32.const 3))
    (call $print_f64 (f64.const 4))
    (call $print_i32_f32 (i32.const 5) (f32.const 6))
    (call $print_f64_f64 (f64.const 7) (f64.const 8)))
  (func (export "mem-size") (result i32) (memory.size))
  (func (export "table-size") (result i32) (table.size 0))
  (func (export "g") (result i32) (global.get $g))
)
(assert_return (invoke "print-all"))
(assert_return (invoke "mem-size") (i32.const 1))
(assert_return (invoke "table-size") (i32.const 10))
(assert_return (invoke "g") (i32.const 666))

;; A provider module registered under a name.
(module $A
  (type $i2i (func (param i32) (result i32)))
  (memory (export "mem") 1 5)
  (table (export "tab") 4 10 funcref)
  (global (export "g-const") i32 (i32.const 42))
  (global (export "g-mut") (mut i64) (i64.const 1))
  (func $double (export "double") (type $i2i) (i32.mul (local.get 0) (i32.const 2)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "size") (result i32) (memory.size))
  (func (export "call-tab") (param i32 i32) (result i32)
    (call_indirect (type $i2i) (local.get 1) (local.get 0)))
  (func (export "get-g-mut") (result i64) (global.get 1))
  (elem (i32.const 0) $double)
)
(register "A" $A)

;; A consumer that imports everything from A and puts its own function into A's table.
(module $B
  (type $i2i (func (param i32) (result i32)))
  (import "A" "double" (func $double (type $i2i)))
  (import "A" "mem" (memory 1))
  (import "A" "tab" (table 4 funcref))
  (import "A" "g-const" (global $gc i32))
  (import "A" "g-mut" (global $gm (mut i64)))
  (func $triple (type $i2i) (i32.mul (local.get 0) (i32.const 3)))
  (elem (i32.const 1) $triple $double)
  (data (i32.const 100) "\2a\00\00\00")
  (func (export "call-double") (param i32) (result i32) (call $double (local.get 0)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "call-tab") (param i32 i32) (result i32)
    (call_indirect (type $i2i) (local.get 1) (local.get 0)))
  (func (export "gc") (result i32) (global.get $gc))
  (func (export "set-gm") (param i64) (global.set $gm (local.get 0)))
  (export "double-again" (func $double))
  (export "mem-again" (memory 0))
)
(register "B" $B)

(assert_return (invoke $B "call-double" (i32.const 21)) (i32.const 42))
(assert_return (invoke $A "load" (i32.const 100)) (i32.const 42))
(assert_return (invoke $B "store" (i32.const 200) (i32.const 7)))
(assert_return (invoke $A "load" (i32.const 200)) (i32.const 7))
(assert_return (invoke $A "store" (i32.const 204) (i32.const 8)))
(assert_return (invoke $B "load" (i32.const 204)) (i32.const 8))
(assert_return (invoke $B "grow" (i32.const 2)) (i32.const 1))
(assert_return (invoke $A "size") (i32.const 3))
(assert_return (invoke $A "store" (i32.const 0x20000) (i32.const 9)))
(assert_return (invoke $B "load" (i32.const 0x20000)) (i32.const 9))
(assert_return (invoke $B "grow" (i32.const 3)) (i32.const -1))
(assert_return (invoke $A "call-tab" (i32.const 0) (i32.const 5)) (i32.const 10))
(assert_return (invoke $A "call-tab" (i32.const 1) (i32.const 5)) (i32.const 15))
(assert_return (invoke $A "call-tab" (i32.const 2) (i32.const 5)) (i32.const 10))
(assert_return (invoke $B "call-tab" (i32.const 1) (i32.const 7)) (i32.const 21))
(assert_trap (invoke $B "call-tab" (i32.const 3) (i32.const 7)) "uninitialized element")
(assert_trap (invoke $B "call-tab" (i32.const 4) (i32.const 7)) "undefined element")
(assert_return (invoke $B "gc") (i32.const 42))
(assert_return (invoke $B "set-gm" (i64.const -5)))
(assert_return (invoke $A "get-g-mut") (i64.const -5))
(assert_return (get $A "g-mut") (i64.const -5))

;; Re-exported entities are the same entities.
(module $C
  (import "B" "double-again" (func $d (param i32) (result i32)))
  (import "B" "mem-again" (memory 3))
  (func (export "d") (param i32) (result i32) (call $d (local.get 0)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
)
(assert_return (invoke $C "d" (i32.const 8)) (i32.const 16))
(assert_return (invoke $C "load" (i32.const 0x20000)) (i32.const 9))

;; Imports whose declared limits are satisfied by the actual entity.
(module (import "A" "mem" (memory 3 5)))
(module (import "A" "mem" (memory 0)))
(module (import "A" "mem" (memory 2 10)))
(module (import "A" "tab" (table 4 10 funcref)))
(module (import "A" "tab" (table 0 funcref)))
(module (import "spectest" "memory" (memory 0 3)))
(module (import "spectest" "table" (table 5 25 funcref)))

;; Missing imports.
(assert_unlinkable (module (import "A" "nope" (func))) "unknown import")
(assert_unlinkable (module (import "nowhere" "double" (func))) "unknown import")
(assert_unlinkable (module (import "A" "nope" (memory 1))) "unknown import")
(assert_unlinkable (module (import "spectest" "nope" (global i32))) "unknown import")

;; Wrong kind.
(assert_unlinkable (module (import "A" "mem" (func))) "incompatible import type")
(assert_unlinkable (module (import "A" "double" (memory 1))) "incompatible import type")
(assert_unlinkable (module (import "A" "tab" (global i32))) "incompatible import type")
(assert_unlinkable (module (import "A" "g-const" (table 1 funcref))) "incompatible import type")

;; Wrong function signature.
(assert_unlinkable (module (import "A" "double" (func (param i64) (result i32)))) "incompatible import type")
(assert_unlinkable (module (import "A" "double" (func (param i32)))) "incompatible import type")
(assert_unlinkable (module (import "A" "double" (func (param i32) (result i32 i32)))) "incompatible import type")
(assert_unlinkable (module (import "A" "double" (func))) "incompatible import type")
(assert_unlinkable (module (import "spectest" "print_i32" (func (param i64)))) "incompatible import type")

;; Memory and table limits that the actual entity does not satisfy.
(assert_unlinkable (module (import "A" "mem" (memory 4))) "incompatible import type")
(assert_unlinkable (module (import "A" "mem" (memory 1 4))) "incompatible import type")
(assert_unlinkable (module (import "spectest" "memory" (memory 2))) "incompatible import type")
(assert_unlinkable (module (import "spectest" "memory" (memory 1 1))) "incompatible import type")
(assert_unlinkable (module (import "A" "tab" (table 5 funcref))) "incompatible import type")
(assert_unlinkable (module (import "A" "tab" (table 4 9 funcref))) "incompatible import type")
(assert_unlinkable (module (import "A" "tab" (table 4 externref))) "incompatible import type")
(assert_unlinkable (module (import "spectest" "table" (table 10 15 funcref))) "incompatible import type")

;; Globals: type and mutability must match exactly.
(assert_unlinkable (module (import "A" "g-const" (global i64))) "incompatible import type")
(assert_unlinkable (module (import "A" "g-const" (global (mut i32)))) "incompatible import type")
(assert_unlinkable (module (import "A" "g-mut" (global i64))) "incompatible import type")
(assert_unlinkable (module (import "A" "g-mut" (global (mut f64)))) "incompatible import type")

;; A failed link leaves the providers untouched.
(assert_unlinkable
  (module
    (import "A" "mem" (memory 1))
    (import "A" "missing" (func))
    (data (i32.const 0) "\ff"))
  "unknown import")
(assert_return (invoke $A "load" (i32.const 0)) (i32.const 0))

;; Instantiation failures: segments out of bounds of an imported memory or table.
(assert_trap
  (module (import "A" "mem" (memory 1)) (data (i32.const 0x30000) "\01"))
  "out of bounds memory access")
(assert_trap
  (module (import "A" "mem" (memory 1)) (data (i32.const 0x2ffff) "\01\02"))
  "out of bounds memory access")
(assert_trap
  (module (import "A" "tab" (table 1 funcref)) (func $f) (elem (i32.const 4) $f))
  "out of bounds table access")
(assert_trap
  (module (import "A" "g-const" (global $o i32)) (memory 1) (data (global.get $o) "") (data (i32.const 65536) "\00"))
  "out of bounds memory access")
;; zero-length segments exactly at the end are fine
(module (import "A" "mem" (memory 1)) (data (i32.const 0x30000) ""))
(module (import "A" "tab" (table 1 funcref)) (elem (i32.const 4) func))
(assert_return (invoke $A "load" (i32.const 0x2fffc)) (i32.const 0))

;; A module instance created from a data segment offset given by an imported global.
(module
  (import "spectest" "global_i32" (global $base i32))
  (memory 1)
  (data (global.get $base) "\10\20")
  (func (export "at-base") (result i32) (i32.load16_u (global.get $base)))
)
(assert_return (invoke "at-base") (i32.const 0x2010))

;; memory.atomic.notify / wait32 / wait64 results and atomic.fence, single-threaded.
;; Not in the top-level directory: wabt 1.0.32's spectest-interp traps "not implemented" on
;; notify, wait and fence, and accepts importing a shared memory as unshared, so this file
;; cannot be checked against it. The expected values follow the threads proposal: notify
;; with no waiters returns 0 (also on an unshared memory); wait returns 1 ("not-equal") when
;; the loaded value differs and 2 ("timed-out") when the timeout expires; wait on an
;; unshared memory traps.

(module
  (memory 1 1 shared)
  (func (export "notify") (param i32 i32) (result i32) (memory.atomic.notify (local.get 0) (local.get 1)))
  (func (export "wait32") (param i32 i32 i64) (result i32) (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "wait64") (param i32 i64 i64) (result i32) (memory.atomic.wait64 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "store32") (param i32 i32) (i32.atomic.store (local.get 0) (local.get 1)))
  (func (export "store64") (param i32 i64) (i64.atomic.store (local.get 0) (local.get 1)))
  (func (export "fence") (result i32) (atomic.fence) (i32.const 1))
)
(assert_return (invoke "notify" (i32.const 0) (i32.const 0)) (i32.const 0))
(assert_return (invoke "notify" (i32.const 0) (i32.const 10)) (i32.const 0))
(assert_return (invoke "notify" (i32.const 65532) (i32.const -1)) (i32.const 0))
(assert_return (invoke "store32" (i32.const 0) (i32.const 5)))
(assert_return (invoke "wait32" (i32.const 0) (i32.const 4) (i64.const -1)) (i32.const 1))
(assert_return (invoke "wait32" (i32.const 0) (i32.const 5) (i64.const 0)) (i32.const 2))
(assert_return (invoke "wait32" (i32.const 0) (i32.const 5) (i64.const 1000)) (i32.const 2))
(assert_return (invoke "store64" (i32.const 8) (i64.const 0x100000005)))
(assert_return (invoke "wait64" (i32.const 8) (i64.const 5) (i64.const -1)) (i32.const 1))
(assert_return (invoke "wait64" (i32.const 8) (i64.const 0x100000005) (i64.const 0)) (i32.const 2))
(assert_return (invoke "fence") (i32.const 1))

(module
  (memory 1)
  (func (export "notify") (param i32 i32) (result i32) (memory.atomic.notify (local.get 0) (local.get 1)))
  (func (export "wait32") (param i32 i32 i64) (result i32) (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
)
(assert_return (invoke "notify" (i32.const 16) (i32.const 1)) (i32.const 0))
(assert_trap (invoke "wait32" (i32.const 16) (i32.const 0) (i64.const 0)) "expected shared memory")

(module $sh (memory (export "m") 1 2 shared))
(register "sh" $sh)
(assert_unlinkable (module (import "sh" "m" (memory 1 2))) "incompatible import type")
(module $unsh (memory (export "m") 1 2))
(register "unsh" $unsh)
(assert_unlinkable (module (import "unsh" "m" (memory 1 2 shared))) "incompatible import type")

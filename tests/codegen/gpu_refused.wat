;; What a GPU cannot run is refused before any code is made, with the operator and the function
;; that uses it (wasi-parallel turns this into not_supported; the cpu device runs such kernels).
;; Each RUN line compiles one of the exported kernels.
;; RUN: not parawasm compile --emit=ptx --kernel=grow %s 2>&1 | FileCheck %s --check-prefix=GROW
;; RUN: not parawasm compile --emit=ptx --kernel=indirect %s 2>&1 | FileCheck %s --check-prefix=INDIRECT
;; RUN: not parawasm compile --emit=ptx --kernel=wait %s 2>&1 | FileCheck %s --check-prefix=WAIT
;; RUN: not parawasm compile --emit=ptx --kernel=notify %s 2>&1 | FileCheck %s --check-prefix=NOTIFY
;; RUN: not parawasm compile --emit=ptx --kernel=host %s 2>&1 | FileCheck %s --check-prefix=HOST
;; RUN: not parawasm compile --emit=ptx --kernel=recursive %s 2>&1 | FileCheck %s --check-prefix=RECURSIVE
;; RUN: not parawasm compile --emit=ptx --kernel=table %s 2>&1 | FileCheck %s --check-prefix=TABLE
;; RUN: not parawasm compile --emit=ptx --kernel=badtype %s 2>&1 | FileCheck %s --check-prefix=TYPE
;; RUN: not parawasm compile --emit=ptx --kernel=throws %s 2>&1 | FileCheck %s --check-prefix=THROW
;; RUN: not parawasm compile --emit=ptx --kernel=catches %s 2>&1 | FileCheck %s --check-prefix=TRY
;; A kernel that calls its helpers is fine, and so is a module whose other functions are refused.
;; RUN: parawasm compile --emit=ptx --kernel=fine %s | FileCheck %s --check-prefix=FINE
(module
  (import "env" "log" (func $log (param i32)))
  (import "env" "memory" (memory 1 1 shared))
  (table 1 funcref)
  (type $t (func))
  (tag $e)
  (func $helper (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
  (func $deep (param i32) (result i32)
    (if (result i32) (local.get 0)
      (then (call $deep (i32.sub (local.get 0) (i32.const 1))))
      (else (i32.const 0))))
  (func (export "grow") (param i32 i32 i32) (drop (memory.grow (i32.const 1))))
  (func (export "indirect") (param i32 i32 i32) (call_indirect (type $t) (i32.const 0)))
  (func (export "wait") (param i32 i32 i32)
    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))))
  (func (export "notify") (param i32 i32 i32)
    (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))
  (func (export "host") (param i32 i32 i32) (call $log (local.get 0)))
  (func (export "recursive") (param i32 i32 i32) (drop (call $deep (local.get 0))))
  (func (export "table") (param i32 i32 i32) (drop (table.size 0)))
  (func (export "badtype") (param i32 i32) )
  (func (export "throws") (param i32 i32 i32) (throw $e))
  (func (export "catches") (param i32 i32 i32) (try (do (nop)) (catch_all)))
  (func (export "fine") (param i32 i32 i32)
    (i32.store (local.get 0) (call $helper (local.get 1)))))

;; GROW: error: {{.*}}kernel uses memory.grow (in {{.*}}), which a GPU cannot run
;; INDIRECT: error: {{.*}}kernel uses call_indirect (in {{.*}}), which a GPU cannot run
;; WAIT: error: {{.*}}kernel uses memory.atomic.wait (in {{.*}}), which a GPU cannot run
;; NOTIFY: error: {{.*}}kernel uses memory.atomic.notify (in {{.*}}), which a GPU cannot run
;; HOST: error: {{.*}}kernel uses a call to the imported function {{.*}}log{{.*}}, which a GPU cannot run
;; RECURSIVE: error: {{.*}}kernel uses recursion ({{.*}}deep{{.*}} calls {{.*}}deep{{.*}}), which a GPU cannot run
;; TABLE: error: {{.*}}kernel uses table.size (in {{.*}}), which a GPU cannot run
;; THROW: error: {{.*}}kernel uses throw (in {{.*}}), which a GPU cannot run
;; TRY: error: {{.*}}kernel uses try (in {{.*}}), which a GPU cannot run
;; TYPE: error: {{.*}}has type (i32, i32) -> (); a kernel takes three or more i32 and returns nothing
;; FINE: .visible .entry pw_gpu_kernel(
;; FINE: mul.lo.s32

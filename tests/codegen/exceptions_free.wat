;; Issue 14: a module without tags or try whose imports are all the host's (WASI here) pays
;; nothing for exception handling: no record lookup and no test after its calls, direct, imported
;; or indirect (its table is its own). Host functions never return with an exception pending.
;; RUN: parawasm compile -O2 %s | FileCheck %s

(module
  (import "wasi_snapshot_preview1" "f" (func $f (param i32) (result i32)))
  (type $t (func (param i32) (result i32)))
  (table 1 funcref)
  ;; CHECK-NOT: pw_exception
  ;; CHECK-LABEL: define tailcc i32 @pwf_1(
  ;; CHECK: notail call tailcc i32
  ;; CHECK: notail call tailcc i32
  ;; CHECK-NOT: pw_exception
  (func (export "plain") (param i32) (result i32)
    (call_indirect (type $t) (call $f (local.get 0)) (i32.const 0)))
)

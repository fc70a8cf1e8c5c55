;; Issue 14: a module without tags or try that imports a function another Wasm module may provide
;; tests for a pending exception after that call (and after calls through a table), so that an
;; exception passes through it to an outer try.
;; RUN: parawasm compile -O2 %s | FileCheck %s

(module
  (import "env" "f" (func $f (param i32) (result i32)))
  (type $t (func (param i32) (result i32)))
  (table 1 funcref)
  (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  ;; CHECK-LABEL: define tailcc i32 @pwf_2(
  ;; CHECK: %[[STATE:[0-9]+]] = call ptr @pw_exception_state()
  ;; CHECK: notail call tailcc i32
  ;; CHECK-NEXT: load i32, ptr %[[STATE]]
  ;; CHECK: label %exception.propagate
  ;; CHECK: notail call tailcc i32
  ;; CHECK-NEXT: load i32, ptr %[[STATE]]
  ;; CHECK: label %exception.propagate
  (func (export "through") (param i32) (result i32)
    (call_indirect (type $t) (call $f (call $leaf (local.get 0))) (i32.const 0)))
)

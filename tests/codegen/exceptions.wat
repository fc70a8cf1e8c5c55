;; Issue 14: exceptions travel as this thread's pending record (vm::VMException), never by
;; unwinding. A function of a module with tags looks the record up once, tests `pending` after
;; each call and goes to its try's dispatch, which compares tag identities; an exception that no
;; clause takes leaves by an ordinary return, after pw_exception_escape has checked the caller.
;; No landing pad, invoke or personality function is emitted.
;; RUN: parawasm compile -O2 %s | FileCheck %s
;; A direct call to a function that cannot throw (ModuleInfo::mayThrow) is not followed by a test,
;; so a call-heavy function costs what it would in a module without tags:
;; RUN: parawasm compile %s | FileCheck %s --check-prefix=LEAF

(module
  (import "env" "f" (func $f (param i32) (result i32)))
  (tag $e (param i32))
  ;; CHECK-NOT: personality
  ;; CHECK-LABEL: define tailcc i32 @pwf_1(
  ;; CHECK: [[STATE:%[0-9]+]] = call ptr @pw_exception_state()
  ;; CHECK: notail call tailcc i32
  ;; CHECK-NEXT: [[PENDING:%[0-9]+]] = load i32, ptr [[STATE]]
  ;; CHECK: try.dispatch:
  ;; CHECK: call ptr @pw_tag(
  ;; CHECK: catch:
  ;; CHECK: store i32 0, ptr [[STATE]]
  ;; CHECK: call void @pw_exception_escape(
  ;; CHECK-NOT: invoke
  ;; CHECK-NOT: landingpad
  ;; CHECK-LABEL: }
  (func (export "caught") (param i32) (result i32)
    (try (result i32) (do (call $f (local.get 0))) (catch $e)))
  ;; LEAF-LABEL: define tailcc i32 @pwf_2(
  ;; LEAF: call tailcc i32 @pwf_2(
  ;; LEAF-NOT: pw_exception_state
  ;; LEAF-LABEL: }
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
)

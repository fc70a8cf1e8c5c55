;; Issue 12: interruption costs compiled code nothing. No poll of VMContext::interrupt (offset 56)
;; is emitted anywhere: an interrupt signals the threads running the guest and unwinds one whose
;; program counter is in compiled code (src/runtime/interrupt.h). The loop vectorises and its
;; body is exactly what it would be in an uninterruptible engine.
;; RUN: parawasm compile -O2 %s | FileCheck %s

(module
  (memory 1)
  ;; CHECK-LABEL: define tailcc void @pwf_0(
  ;; CHECK-NOT: i64 56
  ;; CHECK-NOT: load volatile
  ;; CHECK-NOT: @pw_trap(i32 16)
  ;; CHECK: load <{{[0-9]+}} x i32>
  ;; CHECK: add <{{[0-9]+}} x i32>
  ;; CHECK: store <{{[0-9]+}} x i32>
  ;; CHECK-NOT: load volatile
  ;; CHECK-NOT: @pw_trap(i32 16)
  ;; CHECK-LABEL: }
  (func (export "add_one") (param $p i32) (param $n i32)
    (local $i i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (i32.store (local.get $p) (i32.add (i32.load (local.get $p)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                            (local.get $n))))))
)

;; Issue 12: the polls of the interrupt flag are added after optimisation — one at the function's
;; entry, one in the header of each loop that is left — so a loop still vectorises, and the poll
;; is a volatile load of *ctx->interrupt (offset 56) with a cold branch to pw_trap(16).
;; RUN: parawasm compile -O2 %s | FileCheck %s

(module
  (memory 1)
  ;; CHECK-LABEL: define tailcc void @pwf_0(
  ;; CHECK: %[[SLOT:[0-9]+]] = getelementptr inbounds i8, ptr %0, i64 56
  ;; CHECK-NEXT: %[[FLAG:[0-9]+]] = load ptr, ptr %[[SLOT]], align 8, !invariant.load
  ;; CHECK-NEXT: %[[V:[0-9]+]] = load volatile i32, ptr %[[FLAG]], align 4
  ;; CHECK-NEXT: %[[C:[0-9]+]] = icmp ne i32 %[[V]], 0
  ;; CHECK-NEXT: br i1 %[[C]], label %interrupted, label %{{.*}}, !prof
  ;; CHECK: load <{{[0-9]+}} x i32>
  ;; CHECK: add <{{[0-9]+}} x i32>
  ;; CHECK: store <{{[0-9]+}} x i32>
  ;; CHECK: load volatile i32, ptr %[[FLAG]]
  ;; CHECK: interrupted:
  ;; CHECK-NEXT: call void @pw_trap(i32 16)
  ;; CHECK-NEXT: unreachable
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

;; Canonical NaNs on a GPU are placed where a NaN can be seen (compile/canonical_nan.h): a loop's
;; running sum of products has no canonicalisation inside the loop, only before its store; a
;; select that may also pass on a loaded value (whose NaN must stay as it is) keeps the
;; canonicalisation of the arithmetic it merges, at the arithmetic. No marker is left.
;; RUN: parawasm compile --emit=ptx-llvm %s | FileCheck %s --implicit-check-not=pw.canonical_nan
(module
  (import "env" "memory" (memory 0))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
    (param $a i32) (param i32) (param $out i32) (param i32)
    (local $s f64) (local $k i32)
    (loop $next
      (local.set $s (f64.add (local.get $s)
        (f64.mul (f64.load (local.get $a)) (f64.load offset=8 (local.get $a)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $k) (local.get $n))))
    (f64.store (local.get $out) (local.get $s))
    (f64.store offset=8 (local.get $out)
      (select (f64.load (local.get $a)) (f64.sqrt (f64.load offset=16 (local.get $a)))
              (local.get $i)))))

;; CHECK-LABEL: define {{.*}} @pw_gpu_kernel(
;; CHECK: %[[SUM:[^ ]+]] = phi double [ 0.000000e+00, %{{[^ ]+}} ], [ %[[NEXT:[0-9]+]], %{{[^ ]+}} ]
;; CHECK-NOT: fcmp uno
;; CHECK: %[[PRODUCT:[0-9]+]] = fmul double %{{[0-9]+}}, %{{[0-9]+}}
;; CHECK-NEXT: %[[NEXT]] = fadd double %[[SUM]], %[[PRODUCT]]
;; CHECK-NOT: fcmp uno
;; CHECK: %[[NAN:[0-9]+]] = fcmp uno double %[[NEXT]], %[[NEXT]]
;; CHECK-NEXT: %[[CANONICAL:[0-9]+]] = select i1 %[[NAN]], double 0x7FF8000000000000, double %[[NEXT]]
;; CHECK-NEXT: store {{.*}}double %[[CANONICAL]]
;; CHECK: %[[ROOT:[0-9]+]] = tail call double @llvm.sqrt.f64(
;; CHECK-NEXT: %[[ROOTNAN:[0-9]+]] = fcmp uno double %[[ROOT]], %[[ROOT]]
;; CHECK-NEXT: %[[ROOTC:[0-9]+]] = select i1 %[[ROOTNAN]], double 0x7FF8000000000000, double %[[ROOT]]
;; CHECK: select i1 %{{[^ ]+}}, double %[[ROOTC]], double %{{[0-9]+}}

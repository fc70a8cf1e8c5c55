;; A loop whose accesses step through memory is versioned (compile/gpu_check_versioning.h): a
;; check block decides all its access tests at once; the copy it picks when they all pass has
;; no test left (its loads are plain, on 64-bit addresses), the original keeps them.
;; RUN: parawasm compile --emit=ptx-llvm %s | FileCheck %s --implicit-check-not=pw.gpu.access_test
(module
  (import "env" "memory" (memory 0))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
    (param $a i32) (param i32) (param $out i32) (param i32)
    (local $k i32) (local $s f64)
    (block (loop
      (br_if 1 (i32.ge_u (local.get $k) (local.get $n)))
      (local.set $s (f64.add (local.get $s)
        (f64.load (i32.add (local.get $a) (i32.shl (local.get $k) (i32.const 3))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br 0)))
    (f64.store (local.get $out) (local.get $s))))

;; CHECK-LABEL: define {{.*}} @pw_gpu_kernel(
;; CHECK: br i1 %{{[^ ]+}}, label %br_if.cont.i.pw.passed.preheader, label %br_if.cont.i
;; CHECK: br_if.cont.i.pw.passed:
;; CHECK-NOT: fsh
;; CHECK: load double, ptr addrspace(1) %{{[^ ]+}}, align 8
;; CHECK-NOT: fsh
;; CHECK: br i1 %{{[^ ]+}}, label %{{[^ ]+}}, label %br_if.cont.i.pw.passed
;; CHECK: br_if.cont.i:
;; CHECK: call i32 @llvm.fsh{{[lr]}}.i32(

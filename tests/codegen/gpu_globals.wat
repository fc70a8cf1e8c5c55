;; Globals on a GPU: every thread gets its own copy, initialised from the module's initialisers
;; when the thread starts (on the CPU each worker has its own instance; kernels must not carry
;; state between iterations either way). After inlining the copies live in registers: no local
;; or global memory holds them.
;; RUN: parawasm compile --emit=ptx-llvm -O0 %s | FileCheck %s --check-prefix=IR
;; RUN: parawasm compile --emit=ptx %s | FileCheck %s --check-prefix=PTX
(module
  (import "env" "memory" (memory 0))
  (global $unused (mut i32) (i32.const 0))
  (global $count (mut i64) (i64.const 1000))
  (global $scale f64 (f64.const 2.5))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
    (param $p i32) (param $p_len i32)
    (global.set $count (i64.add (global.get $count) (i64.const 1)))
    (f64.store (local.get $p)
      (f64.mul (global.get $scale) (f64.convert_i64_s (global.get $count))))))

;; IR-LABEL: define ptx_kernel void @pw_gpu_kernel(
;; IR: %[[CTX:[0-9]+]] = alloca [136 x i8], align 16
;; IR: %[[CELLS:[0-9]+]] = alloca [48 x i8], align 16
;; IR: %[[TABLE:[0-9]+]] = alloca [3 x ptr], align 8
;; Only the globals the kernel uses are initialised.
;; IR-NOT: store i32 0, ptr
;; IR: %[[C1:[0-9]+]] = getelementptr inbounds i8, ptr %[[CELLS]], i64 16
;; IR-NEXT: store i64 1000, ptr %[[C1]], align 16
;; IR-NEXT: %[[T1:[0-9]+]] = getelementptr inbounds ptr, ptr %[[TABLE]], i64 1
;; IR-NEXT: store ptr %[[C1]], ptr %[[T1]], align 8
;; IR: %[[C2:[0-9]+]] = getelementptr inbounds i8, ptr %[[CELLS]], i64 32
;; IR-NEXT: store double 2.500000e+00, ptr %[[C2]], align 16
;; VMContext::globals is at offset 24.
;; IR: %[[G:[0-9]+]] = getelementptr inbounds i8, ptr %[[CTX]], i64 24
;; IR-NEXT: store ptr %[[TABLE]], ptr %[[G]], align 8

;; PTX-NOT: .local
;; PTX-NOT: ld.global.u64
;; PTX: mov.u64 {{.*}}, 1001;
;; PTX: mul.rn.f64 {{.*}}, 0d4004000000000000;

;; memory.fill and memory.copy on a GPU: the range is checked against the memory's size, then its
;; first and its last byte each go through the one-byte access test of the mirror (so nothing is
;; written before a trap), then the bytes are written by a loop (llvm.memset / llvm.memmove,
;; which the NVPTX back end expands: a copy runs forwards or backwards, as the ranges overlap).
;; RUN: parawasm compile --emit=ptx-llvm %s | FileCheck %s --check-prefix=IR
;; RUN: parawasm compile --emit=ptx %s | FileCheck %s --check-prefix=PTX
(module
  (import "env" "memory" (memory 0))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
    (param $p i32) (param $p_len i32)
    (memory.fill (local.get $p) (local.get $i) (local.get $n))
    (memory.copy (i32.add (local.get $p) (i32.const 1)) (local.get $p) (local.get $n))))

;; IR-LABEL: define ptx_kernel void @pw_gpu_kernel(
;; IR: call void @llvm.memset.p1.i64(ptr addrspace(1)
;; IR: call void @llvm.memmove.p1.p1.i64(ptr addrspace(1)

;; No call is left: both became loops over global memory.
;; PTX-LABEL: .entry pw_gpu_kernel(
;; PTX-NOT: call
;; PTX: st.global.u8
;; PTX: ld.global.u8
;; PTX: st.global.u8

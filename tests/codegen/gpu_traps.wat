;; Traps on a GPU: the first one of a launch wins the trap record (code 0 -> 1 + TrapCode, by
;; compare-and-swap), adds its iteration id, and the thread exits. Never PTX `trap`, which would
;; abort the whole launch and leave the context unusable.
;; RUN: parawasm compile --emit=ptx-llvm %s | FileCheck %s --check-prefix=IR
;; RUN: parawasm compile --emit=ptx %s | FileCheck %s --check-prefix=PTX
(module
  (import "env" "memory" (memory 0))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
    (param $p i32) (param $p_len i32)
    (local $x i32)
    ;; integer_divide_by_zero (2) and integer_overflow (3)
    (local.set $x (i32.div_s (i32.load (local.get $p)) (local.get $i)))
    ;; invalid_conversion (4)
    (local.set $x (i32.add (local.get $x) (i32.trunc_f32_s (f32.load offset=4 (local.get $p)))))
    (if (i32.eq (local.get $x) (i32.const 7)) (then unreachable))
    (i32.store offset=8 (local.get $p) (local.get $x))))

;; IR-LABEL: define ptx_kernel void @pw_gpu_kernel(
;; IR-DAG: cmpxchg ptr addrspace(1) %trap_record, i32 0, i32 1 monotonic monotonic
;; IR-DAG: cmpxchg ptr addrspace(1) %trap_record, i32 0, i32 2 monotonic monotonic
;; IR-DAG: cmpxchg ptr addrspace(1) %trap_record, i32 0, i32 3 monotonic monotonic
;; IR-DAG: cmpxchg ptr addrspace(1) %trap_record, i32 0, i32 4 monotonic monotonic
;; IR-DAG: cmpxchg ptr addrspace(1) %trap_record, i32 0, i32 5 monotonic monotonic
;; The winner records its iteration in the second word.
;; IR-DAG: %[[SLOT:[0-9]+]] = getelementptr inbounds i8, ptr addrspace(1) %trap_record, i64 4
;; IR-DAG: store atomic i32 %{{[0-9]+}}, ptr addrspace(1) %[[SLOT]] monotonic, align 4
;; IR-DAG: call void asm sideeffect "exit;", ""()
;; IR-NOT: llvm.trap
;; IR-NOT: call void @pw_trap

;; PTX-NOT: trap;
;; PTX: atom.global.cas.b32
;; PTX: st.volatile.global.u32 [%rd{{[0-9]+}}+4]
;; PTX: exit;
;; PTX-NOT: trap;

;; Wasm atomics are sequentially consistent. LLVM 19's NVPTX back end has only relaxed atomics
;; and no `fence`, so every atomic access gets the PTX memory model's seq_cst mapping: fence.sc
;; before, and an acquire fence after loads and read-modify-writes (inline asm, GPU scope);
;; before sm_70 membar.gl. A misaligned atomic traps (unaligned_atomic = 11, record 12).
;; RUN: parawasm compile --emit=ptx-llvm -O0 %s | FileCheck %s --check-prefix=IR
;; RUN: parawasm compile --emit=ptx --sm=80 %s | FileCheck %s --check-prefix=PTX
;; RUN: parawasm compile --emit=ptx --sm=61 %s | FileCheck %s --check-prefix=OLD
(module
  (import "env" "memory" (memory 1 1 shared))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
    (param $p i32) (param $p_len i32)
    (drop (i32.atomic.rmw.add (local.get $p) (i32.const 1)))
    (i64.atomic.store offset=8 (local.get $p) (i64.atomic.load offset=16 (local.get $p)))
    (drop (i32.atomic.rmw8.cmpxchg_u offset=3 (local.get $p) (i32.const 0) (i32.const 1)))
    (atomic.fence)))

;; IR-LABEL: define internal void @pwf_0(
;; IR: cmpxchg ptr addrspace(1) %{{[0-9]+}}, i32 0, i32 12 monotonic monotonic
;; IR: call void asm sideeffect "fence.sc.gpu;", "~{memory}"()
;; IR-NEXT: atomicrmw add ptr addrspace(1) %{{[0-9]+}}, i32 1 monotonic, align 4
;; IR-NEXT: call void asm sideeffect "fence.acq_rel.gpu;", "~{memory}"()
;; IR: call void asm sideeffect "fence.sc.gpu;", "~{memory}"()
;; IR-NEXT: load atomic i64, ptr addrspace(1) %{{[0-9]+}} monotonic, align 8
;; IR-NEXT: call void asm sideeffect "fence.acq_rel.gpu;", "~{memory}"()
;; IR: call void asm sideeffect "fence.sc.gpu;", "~{memory}"()
;; IR-NEXT: store atomic i64 %{{[0-9]+}}, ptr addrspace(1) %{{[0-9]+}} monotonic, align 8
;; IR-NOT: fence.acq_rel
;; IR: call void asm sideeffect "fence.sc.gpu;", "~{memory}"()
;; IR-NEXT: cmpxchg ptr addrspace(1) %{{[0-9]+}}, i8 0, i8 1 monotonic monotonic, align 1
;; IR-NEXT: call void asm sideeffect "fence.acq_rel.gpu;", "~{memory}"()
;; IR: call void asm sideeffect "fence.sc.gpu;", "~{memory}"()
;; IR-NEXT: ret void
;; IR-NOT: seq_cst
;; IR-NOT: fence seq_cst

;; PTX: fence.sc.gpu;
;; PTX: atom.global.add.u32
;; PTX: fence.acq_rel.gpu;
;; PTX: ld.volatile.global.u64
;; PTX: st.volatile.global.u64
;; PTX: atom.global.cas.b32
;; OLD: .target sm_61
;; OLD-NOT: fence.sc
;; OLD: membar.gl;

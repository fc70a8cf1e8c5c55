;; Linear memory on a GPU: a device copy of a span of the caller's memory. Every access checks
;; zext(addr) + offset against [span_start, span_end) and traps outside it (the record gets
;; 1 + memory_out_of_bounds = 2, then the thread exits); inside, the pointer is
;; memory + (zext(addr) + offset - span_start) in the global address space. Wasm allows
;; misaligned accesses and a GPU faults on them, so each access tests its address: the aligned
;; path uses the natural width, the other one bytes.
;; RUN: parawasm compile --emit=ptx-llvm -O0 %s | FileCheck %s --check-prefix=IR
;; RUN: parawasm compile --emit=ptx %s | FileCheck %s --check-prefix=PTX
(module
  (import "env" "memory" (memory 0))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
    (param $p i32) (param $p_len i32)
    ;; a 64-bit load at offset 16 and a 16-bit store
    (i32.store16 (local.get $p)
      (i32.wrap_i64 (i64.load offset=16 (local.get $p))))
    ;; memory.size reports the caller's memory
    (i32.store8 offset=1 (local.get $p) (memory.size))))

;; IR-LABEL: define internal void @pwf_0(
;; IR: %[[ADDR:[0-9]+]] = zext i32 %{{[0-9]+}} to i64
;; IR-NEXT: %[[EA:[0-9]+]] = add nuw i64 %[[ADDR]], 16
;; IR-NEXT: %[[STARTP:[0-9]+]] = getelementptr inbounds i8, ptr %0, i64 96
;; IR-NEXT: %[[START:[0-9]+]] = load i64, ptr %[[STARTP]], align 8
;; IR-NEXT: %[[ENDP:[0-9]+]] = getelementptr inbounds i8, ptr %0, i64 104
;; IR-NEXT: %[[END:[0-9]+]] = load i64, ptr %[[ENDP]], align 8
;; IR-NEXT: %[[LAST:[0-9]+]] = add nuw nsw i64 %[[EA]], 8
;; IR-NEXT: %[[HIGH:[0-9]+]] = icmp ugt i64 %[[LAST]], %[[END]]
;; IR-NEXT: %[[LOW:[0-9]+]] = icmp ult i64 %[[EA]], %[[START]]
;; IR-NEXT: %[[OUT:[0-9]+]] = or i1 %[[LOW]], %[[HIGH]]
;; IR-NEXT: br i1 %[[OUT]], label %trap.memory_out_of_bounds, label %cont
;; IR: trap.memory_out_of_bounds:
;; IR: cmpxchg ptr addrspace(1) %{{[0-9]+}}, i32 0, i32 2 monotonic monotonic
;; IR: call void asm sideeffect "exit;", ""()
;; IR-NEXT: unreachable
;; IR: cont:
;; IR-NEXT: %[[MEMP:[0-9]+]] = getelementptr inbounds i8, ptr %0, i64 88
;; IR-NEXT: %[[MEM:[0-9]+]] = load ptr addrspace(1), ptr %[[MEMP]], align 8
;; IR-NEXT: %[[REL:[0-9]+]] = sub nuw i64 %[[EA]], %[[START]]
;; IR-NEXT: %[[PTR:[0-9]+]] = getelementptr inbounds i8, ptr addrspace(1) %[[MEM]], i64 %[[REL]]
;; IR-NEXT: %[[INT:[0-9]+]] = ptrtoint ptr addrspace(1) %[[PTR]] to i64
;; IR-NEXT: %[[LOWBITS:[0-9]+]] = and i64 %[[INT]], 7
;; IR-NEXT: %[[MIS:[0-9]+]] = icmp ne i64 %[[LOWBITS]], 0
;; IR-NEXT: br i1 %[[MIS]]
;; IR: load volatile i64, ptr addrspace(1) %[[PTR]], align 1
;; IR: load i64, ptr addrspace(1) %[[PTR]], align 8
;; IR: and i64 %{{[0-9]+}}, 1
;; IR: store volatile i16 %{{[0-9]+}}, ptr addrspace(1) %{{[0-9]+}}, align 1
;; IR: store i16 %{{[0-9]+}}, ptr addrspace(1) %{{[0-9]+}}, align 2
;; memory.size: the caller's size in bytes, from the thread context, in pages.
;; IR: %[[SIZEP:[0-9]+]] = getelementptr inbounds i8, ptr %0, i64 112
;; IR-NEXT: %[[SIZE:[0-9]+]] = load i64, ptr %[[SIZEP]], align 8
;; IR-NEXT: lshr i64 %[[SIZE]], 16
;; Single bytes need no alignment test.
;; IR: store i8 %{{[0-9]+}}, ptr addrspace(1) %{{[0-9]+}}, align 1
;; IR-NEXT: ret void

;; PTX-DAG: ld.global.u64
;; PTX-DAG: ld.volatile.global.u8
;; PTX-DAG: st.global.u16
;; PTX-DAG: st.volatile.global.u8
;; PTX-DAG: atom.global.cas.b32 {{.*}}, 0, 2;

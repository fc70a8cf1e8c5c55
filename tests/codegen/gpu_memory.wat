;; Linear memory on a GPU: a device copy of a span of the caller's memory. Every access is
;; inside [span_start, span_end) or traps (the record gets 1 + memory_out_of_bounds = 2, then the
;; thread exits); inside, the pointer is memory + (zext(addr) + offset - span_start) in the global
;; address space. The fast path is one 32-bit test of bounds and alignment together:
;; rotr(addr - (span_start - offset), log2 width) < (span_end - span_start) >> log2 width, and
;; offset <= span_start. It goes straight to the natural-width access. The slow path checks the
;; bounds in 64 bits as Wasm states them and then the device address's alignment: Wasm allows
;; misaligned accesses and a GPU faults on them, so a misaligned one takes bytes.
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
;; IR: %[[START:[0-9]+]] = load i64, ptr %{{[0-9]+}}, align 8
;; IR: %[[END:[0-9]+]] = load i64, ptr %{{[0-9]+}}, align 8
;; IR: %[[MEM:[0-9]+]] = load ptr addrspace(1), ptr %{{[0-9]+}}, align 8
;; IR-NEXT: %[[START32:[0-9]+]] = trunc i64 %[[START]] to i32
;; IR-NEXT: %[[SPAN:[0-9]+]] = sub i64 %[[END]], %[[START]]
;; IR-NEXT: %[[SLOTS:[0-9]+]] = lshr i64 %[[SPAN]], 3
;; IR-NEXT: %[[CLAMPED:[0-9]+]] = call i64 @llvm.umin.i64(i64 %[[SLOTS]], i64 4294967295)
;; IR-NEXT: %[[LIMIT:[0-9]+]] = trunc i64 %[[CLAMPED]] to i32
;; IR-NEXT: %[[BASE:[0-9]+]] = sub i32 %[[START32]], 16
;; IR-NEXT: %[[REL:[0-9]+]] = sub i32 %[[ADDR:[0-9]+]], %[[BASE]]
;; IR-NEXT: %[[PROBE:[0-9]+]] = call i32 @llvm.fshr.i32(i32 %[[REL]], i32 %[[REL]], i32 3)
;; IR-NEXT: %[[INSIDE:[0-9]+]] = icmp ult i32 %[[PROBE]], %[[LIMIT]]
;; IR-NEXT: %[[NOWRAP:[0-9]+]] = icmp uge i32 %[[START32]], 16
;; IR-NEXT: %[[FAST:[0-9]+]] = and i1 %[[NOWRAP]], %[[INSIDE]]
;; IR-NEXT: %[[REL64:[0-9]+]] = zext i32 %[[REL]] to i64
;; IR-NEXT: %[[FASTPTR:[0-9]+]] = getelementptr inbounds i8, ptr addrspace(1) %[[MEM]], i64 %[[REL64]]
;; IR-NEXT: br i1 %[[FAST]], label %[[ALIGNED:[0-9]+]], label %access.slow
;; IR: access.slow:
;; IR-NEXT: %[[A64:[0-9]+]] = zext i32 %[[ADDR]] to i64
;; IR-NEXT: %[[EA:[0-9]+]] = add nuw i64 %[[A64]], 16
;; IR-NEXT: %[[LAST:[0-9]+]] = add nuw nsw i64 %[[EA]], 8
;; IR-NEXT: %[[HIGH:[0-9]+]] = icmp ugt i64 %[[LAST]], %[[END]]
;; IR-NEXT: %[[LOW:[0-9]+]] = icmp ult i64 %[[EA]], %[[START]]
;; IR-NEXT: %[[OUT:[0-9]+]] = or i1 %[[LOW]], %[[HIGH]]
;; IR-NEXT: br i1 %[[OUT]], label %trap.memory_out_of_bounds, label %cont
;; IR: [[BYTES:[0-9]+]]:
;; IR-NEXT: load volatile i64, ptr addrspace(1) %[[SLOWPTR:[0-9]+]], align 1
;; IR: [[ALIGNED]]:
;; IR-NEXT: %[[PTR:[0-9]+]] = phi ptr addrspace(1) [ %[[SLOWPTR]], %cont ], [ %[[FASTPTR]], %entry ]
;; IR-NEXT: load i64, ptr addrspace(1) %[[PTR]], align 8
;; The 16-bit store's test, at offset 0: no wrap test, shift 1.
;; IR: %[[REL16:[0-9]+]] = sub i32 %[[ADDR]], %{{[0-9]+}}
;; IR-NEXT: call i32 @llvm.fshr.i32(i32 %[[REL16]], i32 %[[REL16]], i32 1)
;; IR: trap.memory_out_of_bounds:
;; IR: cmpxchg ptr addrspace(1) %{{[0-9]+}}, i32 0, i32 2 monotonic monotonic
;; IR: call void asm sideeffect "exit;", ""()
;; IR-NEXT: unreachable
;; IR: cont:
;; IR-NEXT: %[[SREL:[0-9]+]] = sub nuw i64 %[[EA]], %[[START]]
;; IR-NEXT: %[[SLOWPTR]] = getelementptr inbounds i8, ptr addrspace(1) %[[MEM]], i64 %[[SREL]]
;; IR-NEXT: %[[INT:[0-9]+]] = ptrtoint ptr addrspace(1) %[[SLOWPTR]] to i64
;; IR-NEXT: %[[LOWBITS:[0-9]+]] = and i64 %[[INT]], 7
;; IR-NEXT: %[[MIS:[0-9]+]] = icmp ne i64 %[[LOWBITS]], 0
;; IR-NEXT: br i1 %[[MIS]], label %[[BYTES]], label %[[ALIGNED]]
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

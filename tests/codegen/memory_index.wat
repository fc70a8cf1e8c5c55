;; Memories by index and index type (issue 14): memory 0 keeps its fast path (its base straight
;; from VMContext::memoryBase, guard pages, no check); another 32-bit memory finds its base
;; through VMContext::memories (offset 80), also unchecked; a 64-bit memory is checked
;; explicitly: one add with overflow of address + offset + size and one compare with its size.
;; RUN: parawasm compile --emit=llvm -O2 %s | FileCheck %s
(module
  (memory $a 1)
  (memory $b 1)
  (memory $w i64 1)
  (func (export "a") (param i32) (result i32) (i32.load $a offset=4 (local.get 0)))
  (func (export "b") (param i32) (result i32) (i32.load $b offset=4 (local.get 0)))
  (func (export "w") (param i64) (result i32) (i32.load $w offset=4 (local.get 0))))

;; CHECK-LABEL: define tailcc i32 @pwf_0(
;; CHECK-NEXT: entry:
;; CHECK-NEXT: %[[BASE:[0-9]+]] = load ptr, ptr %0, align 8, !invariant.load !{{[0-9]+}}, !pw.memory.base
;; CHECK-NEXT: zext i32 %2 to i64
;; CHECK-NOT: icmp
;; CHECK: ret i32

;; CHECK-LABEL: define tailcc i32 @pwf_1(
;; CHECK: %[[MEMS:[0-9]+]] = getelementptr inbounds i8, ptr %0, i64 80
;; CHECK: getelementptr inbounds i8, ptr %{{[0-9]+}}, i64 8
;; CHECK-NOT: pw.memory.base
;; CHECK-NOT: icmp
;; CHECK: ret i32

;; CHECK-LABEL: define tailcc i32 @pwf_2(
;; CHECK: getelementptr inbounds i8, ptr %0, i64 80
;; CHECK: getelementptr inbounds i8, ptr %{{[0-9]+}}, i64 16
;; CHECK: call { i64, i1 } @llvm.uadd.with.overflow.i64(i64 %2, i64 8)
;; CHECK: load atomic i64
;; CHECK: icmp ugt i64
;; CHECK: br i1 %{{[0-9]+}}, label %trap.memory_out_of_bounds

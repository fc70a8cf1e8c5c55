;; Integer operators: every case LLVM leaves undefined is guarded before the LLVM instruction.
;; RUN: parawasm compile -O0 %s | FileCheck %s

(module
  ;; div_s traps on a zero divisor, then on INT_MIN / -1, before the sdiv.
  ;; CHECK-LABEL: define tailcc i32 @pwf_0(
  ;; CHECK: icmp eq i32 %[[D:[0-9]+]], 0
  ;; CHECK: icmp eq i32 %[[D]], -1
  ;; CHECK: icmp eq i32 %[[N:[0-9]+]], -2147483648
  ;; CHECK: sdiv i32 %[[N]], %[[D]]
  (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))

  ;; rem_s divides by 1 instead of -1, so INT_MIN % -1 is 0 and never reaches srem.
  ;; CHECK-LABEL: define tailcc i64 @pwf_1(
  ;; CHECK: icmp eq i64 %[[D:[0-9]+]], 0
  ;; CHECK: %[[M1:[0-9]+]] = icmp eq i64 %[[D]], -1
  ;; CHECK: %[[SAFE:[0-9]+]] = select i1 %[[M1]], i64 1, i64 %[[D]]
  ;; CHECK: srem i64 %{{[0-9]+}}, %[[SAFE]]
  (func (export "rem_s") (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))

  ;; A constant non-zero divisor needs no check.
  ;; CHECK-LABEL: define tailcc i32 @pwf_2(
  ;; CHECK-NEXT: entry:
  ;; CHECK-NEXT: udiv i32 %{{[0-9]+}}, 7
  (func (export "div_u_const") (param i32) (result i32) (i32.div_u (local.get 0) (i32.const 7)))

  ;; Shift counts are taken modulo the width.
  ;; CHECK-LABEL: define tailcc i32 @pwf_3(
  ;; CHECK: %[[C:[0-9]+]] = and i32 %{{[0-9]+}}, 31
  ;; CHECK: shl i32 %{{[0-9]+}}, %[[C]]
  (func (export "shl") (param i32 i32) (result i32) (i32.shl (local.get 0) (local.get 1)))
  ;; CHECK-LABEL: define tailcc i64 @pwf_4(
  ;; CHECK: %[[C:[0-9]+]] = and i64 %{{[0-9]+}}, 63
  ;; CHECK: ashr i64 %{{[0-9]+}}, %[[C]]
  (func (export "shr_s") (param i64 i64) (result i64) (i64.shr_s (local.get 0) (local.get 1)))

  ;; Rotates are funnel shifts of a value with itself.
  ;; CHECK-LABEL: define tailcc i32 @pwf_5(
  ;; CHECK: call i32 @llvm.fshr.i32(i32 %[[X:[0-9]+]], i32 %[[X]], i32 %{{[0-9]+}})
  (func (export "rotr") (param i32 i32) (result i32) (i32.rotr (local.get 0) (local.get 1)))

  ;; clz/ctz of 0 is the width, so zero must not be poison.
  ;; CHECK-LABEL: define tailcc i64 @pwf_6(
  ;; CHECK: call i64 @llvm.ctlz.i64(i64 %{{[0-9]+}}, i1 false)
  (func (export "clz") (param i64) (result i64) (i64.clz (local.get 0)))
  ;; CHECK-LABEL: define tailcc i32 @pwf_7(
  ;; CHECK: call i32 @llvm.cttz.i32(i32 %{{[0-9]+}}, i1 false)
  (func (export "ctz") (param i32) (result i32) (i32.ctz (local.get 0)))

  ;; CHECK-LABEL: define tailcc i64 @pwf_8(
  ;; CHECK: %[[B:[0-9]+]] = trunc i64 %{{[0-9]+}} to i8
  ;; CHECK: sext i8 %[[B]] to i64
  (func (export "extend8") (param i64) (result i64) (i64.extend8_s (local.get 0)))
)

;; Float-to-integer truncation: NaN and out-of-range inputs are checked before fptosi/fptoui,
;; whose result LLVM leaves as poison there; the bounds are the exact limits of each pair.
;; RUN: parawasm compile -O0 %s | FileCheck %s

(module
  ;; -2^31 is the lowest valid f32 (the next one down, -2^31-256, overflows): inclusive bound.
  ;; CHECK-LABEL: define tailcc i32 @pwf_0(
  ;; CHECK: %[[NAN:[0-9]+]] = fcmp uno float %[[X:[0-9]+]], %[[X]]
  ;; CHECK-NEXT: br i1 %[[NAN]]
  ;; CHECK: call void @pw_trap(i32 4)
  ;; CHECK: fcmp oge float %[[X]], 0xC1E0000000000000
  ;; CHECK: fcmp olt float %[[X]], 0x41E0000000000000
  ;; CHECK: call void @pw_trap(i32 3)
  ;; CHECK: fptosi float %[[X]] to i32
  (func (export "i32.trunc_f32_s") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))

  ;; f64 has -2^31-1, which overflows, and everything above it truncates into range: exclusive.
  ;; CHECK-LABEL: define tailcc i32 @pwf_1(
  ;; CHECK: fcmp ogt double %[[X:[0-9]+]], 0xC1E0000000200000
  ;; CHECK: fcmp olt double %[[X]], 0x41E0000000000000
  ;; CHECK: fptosi double %[[X]] to i32
  (func (export "i32.trunc_f64_s") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))

  ;; Unsigned: (-1, 2^64).
  ;; CHECK-LABEL: define tailcc i64 @pwf_2(
  ;; CHECK: fcmp ogt double %[[X:[0-9]+]], -1.000000e+00
  ;; CHECK: fcmp olt double %[[X]], 0x43F0000000000000
  ;; CHECK: fptoui double %[[X]] to i64
  (func (export "i64.trunc_f64_u") (param f64) (result i64) (i64.trunc_f64_u (local.get 0)))

  ;; CHECK-LABEL: define tailcc i64 @pwf_3(
  ;; CHECK-NEXT: entry:
  ;; CHECK-NEXT: call i64 @llvm.fptoui.sat.i64.f32(
  (func (export "i64.trunc_sat_f32_u") (param f32) (result i64)
    (i64.trunc_sat_f32_u (local.get 0)))

  ;; CHECK-LABEL: define tailcc float @pwf_4(
  ;; CHECK: uitofp i64 %{{[0-9]+}} to float
  (func (export "f32.convert_i64_u") (param i64) (result f32) (f32.convert_i64_u (local.get 0)))
)

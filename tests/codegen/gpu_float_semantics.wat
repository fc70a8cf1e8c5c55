;; Floating point on a GPU is Wasm's: every add and multiply rounds on its own (add.rn/mul.rn,
;; which ptxas may not contract into fma), division and square root are correctly rounded
;; (div.rn, sqrt.rn, never .approx), subnormals are kept (never .ftz), min/max propagate NaN
;; and order -0 below +0, and a NaN result is the canonical NaN (PTX's own is 0x7fffffff). A module without a `kernel` export is emitted as device functions.
;; RUN: parawasm compile --emit=ptx --sm=80 %s | FileCheck %s --implicit-check-not=.ftz --implicit-check-not=.approx --implicit-check-not=fma. --implicit-check-not=mad.f
;; RUN: parawasm compile --emit=ptx --sm=90 %s | FileCheck %s --implicit-check-not=.ftz --implicit-check-not=.approx --implicit-check-not=fma. --implicit-check-not=mad.f
;; RUN: parawasm compile --emit=ptx-llvm %s | FileCheck %s --check-prefix=IR
(module
  (func (export "muladd32") (param f32 f32 f32) (result f32)
    (f32.add (f32.mul (local.get 0) (local.get 1)) (local.get 2)))
  (func (export "mulsub64") (param f64 f64 f64) (result f64)
    (f64.sub (f64.mul (local.get 0) (local.get 1)) (local.get 2)))
  (func (export "div32") (param f32 f32) (result f32) (f32.div (local.get 0) (local.get 1)))
  (func (export "div64") (param f64 f64) (result f64) (f64.div (local.get 0) (local.get 1)))
  (func (export "sqrt32") (param f32) (result f32) (f32.sqrt (local.get 0)))
  (func (export "sqrt64") (param f64) (result f64) (f64.sqrt (local.get 0)))
  (func (export "min32") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
  (func (export "max64") (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))
  (func (export "nearest32") (param f32) (result f32) (f32.nearest (local.get 0)))
  (func (export "floor64") (param f64) (result f64) (f64.floor (local.get 0)))
  (func (export "ceil32") (param f32) (result f32) (f32.ceil (local.get 0)))
  (func (export "trunc64") (param f64) (result f64) (f64.trunc (local.get 0)))
  (func (export "sat") (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0)))
  (func (export "demote") (param f64) (result f32) (f32.demote_f64 (local.get 0))))

;; CHECK-LABEL: pwf_0(
;; CHECK: mul.rn.f32
;; CHECK: add.rn.f32
;; CHECK-LABEL: pwf_1(
;; CHECK: mul.rn.f64
;; CHECK: sub.rn.f64
;; CHECK-LABEL: pwf_2(
;; CHECK: div.rn.f32 [[Q:%f[0-9]+]],
;; CHECK-NEXT: setp.nan.f32 [[P:%p[0-9]+]], [[Q]], [[Q]];
;; CHECK-NEXT: selp.f32 %f{{[0-9]+}}, 0f7FC00000, [[Q]], [[P]];
;; CHECK-LABEL: pwf_3(
;; CHECK: div.rn.f64
;; CHECK-LABEL: pwf_4(
;; CHECK: sqrt.rn.f32
;; CHECK-LABEL: pwf_5(
;; CHECK: sqrt.rn.f64
;; CHECK-LABEL: pwf_6(
;; CHECK: min.NaN.f32
;; CHECK-LABEL: pwf_7(
;; CHECK-DAG: setp.nan.f64
;; CHECK-DAG: max.f64
;; CHECK-LABEL: pwf_8(
;; CHECK: cvt.rni.f32.f32
;; CHECK-LABEL: pwf_9(
;; CHECK: cvt.rmi.f64.f64
;; CHECK-LABEL: pwf_10(
;; CHECK: cvt.rpi.f32.f32
;; CHECK-LABEL: pwf_11(
;; CHECK: cvt.rzi.f64.f64
;; CHECK-LABEL: pwf_12(
;; CHECK: cvt.rzi.s32.f32
;; CHECK-LABEL: pwf_13(
;; CHECK: cvt.rn.f32.f64

;; IR-NOT: contract
;; IR-NOT: fast
;; IR-NOT: afn
;; IR-NOT: fmuladd
;; IR: "denormal-fp-math"="ieee,ieee" "denormal-fp-math-f32"="ieee,ieee"
;; IR-SAME: "nvptx-f32ftz"="false"
;; IR-SAME: "unsafe-fp-math"="false"

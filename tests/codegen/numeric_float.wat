;; Float operators: bit-exact constants and sign operations, NaN rules LLVM does not keep by
;; itself, and no fast-math flags anywhere.
;; RUN: parawasm compile -O0 %s | FileCheck %s
;; RUN: parawasm compile -O0 %s | FileCheck %s --check-prefix=NOFLAGS
;; RUN: parawasm compile -O2 %s | FileCheck %s --check-prefix=NOFLAGS
;; NOFLAGS-NOT: {{ (fast|nnan|ninf|nsz|arcp|contract|afn|reassoc) }}

(module
  ;; NaN constants keep their sign and payload (LLVM prints a float as the equivalent double).
  ;; CHECK-LABEL: define tailcc float @pwf_0(
  ;; CHECK: ret float 0xFFF4000020000000
  (func (export "snan") (result f32) (f32.const -nan:0x200001))
  ;; CHECK-LABEL: define tailcc double @pwf_1(
  ;; CHECK: ret double 0x7FF0000000000001
  (func (export "snan64") (result f64) (f64.const nan:0x1))

  ;; neg, abs and copysign are integer operations on the bits: NaN payloads pass unchanged.
  ;; CHECK-LABEL: define tailcc float @pwf_2(
  ;; CHECK: xor i32 %{{[0-9]+}}, -2147483648
  ;; CHECK-NOT: fneg
  (func (export "neg") (param f32) (result f32) (f32.neg (local.get 0)))
  ;; CHECK-LABEL: define tailcc double @pwf_3(
  ;; CHECK: and i64 %{{[0-9]+}}, 9223372036854775807
  ;; CHECK-NOT: llvm.fabs
  (func (export "abs") (param f64) (result f64) (f64.abs (local.get 0)))
  ;; CHECK-LABEL: define tailcc float @pwf_4(
  ;; CHECK: and i32 %{{[0-9]+}}, 2147483647
  ;; CHECK: and i32 %{{[0-9]+}}, -2147483648
  ;; CHECK: or i32
  (func (export "copysign") (param f32 f32) (result f32)
    (f32.copysign (local.get 0) (local.get 1)))

  ;; min orders -0 < +0 (llvm.minimum); where an operand is a NaN the result is x + y with its
  ;; quiet bit set instead: x86 returns a signalling NaN operand as it is, and LLVM 19's AVX-512
  ;; lowering of llvm.minimum returns the other operand for one (FunctionTranslator::minMax).
  ;; CHECK-LABEL: define tailcc float @pwf_5(
  ;; CHECK: %[[M:[0-9]+]] = call float @llvm.minimum.f32(float %[[X:[0-9]+]], float %[[Y:[0-9]+]])
  ;; CHECK: fadd float %[[X]], %[[Y]]
  ;; CHECK: or i32 %{{[0-9]+}}, 4194304
  ;; CHECK: fcmp uno float %[[X]], %[[Y]]
  ;; CHECK: select i1
  (func (export "min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))

  ;; CHECK-LABEL: define tailcc double @pwf_6(
  ;; CHECK: call double @llvm.roundeven.f64(
  (func (export "nearest") (param f64) (result f64) (f64.nearest (local.get 0)))

  ;; Comparisons are ordered except ne.
  ;; CHECK-LABEL: define tailcc i32 @pwf_7(
  ;; CHECK: fcmp une double
  (func (export "ne") (param f64 f64) (result i32) (f64.ne (local.get 0) (local.get 1)))
  ;; CHECK-LABEL: define tailcc i32 @pwf_8(
  ;; CHECK: fcmp olt float
  (func (export "lt") (param f32 f32) (result i32) (f32.lt (local.get 0) (local.get 1)))

  ;; Plain arithmetic is one instruction.
  ;; CHECK-LABEL: define tailcc double @pwf_9(
  ;; CHECK-NEXT: entry:
  ;; CHECK-NEXT: fadd double
  ;; CHECK-NEXT: ret double
  (func (export "add") (param f64 f64) (result f64) (f64.add (local.get 0) (local.get 1)))

  ;; LLVM folds x*1.0, -0.0-x and fptrunc(fpext x) to x or -x, which would hand back a
  ;; signalling NaN; the result is quieted when the operand is a NaN.
  ;; CHECK-LABEL: define tailcc float @pwf_10(
  ;; CHECK: %[[R:[0-9]+]] = fmul float %[[X:[0-9]+]], 1.000000e+00
  ;; CHECK: %[[U:[0-9]+]] = fcmp uno float %[[X]], %[[X]]
  ;; CHECK: select i1 %[[U]], float %{{[0-9]+}}, float %[[R]]
  (func (export "mul_one") (param f32) (result f32) (f32.mul (local.get 0) (f32.const 1.0)))
  ;; CHECK-LABEL: define tailcc double @pwf_11(
  ;; CHECK: %[[R:[0-9]+]] = fsub double -0.000000e+00, %[[X:[0-9]+]]
  ;; CHECK: fcmp uno double %[[X]], %[[X]]
  ;; CHECK: select i1 %{{[0-9]+}}, double %{{[0-9]+}}, double %[[R]]
  (func (export "neg0_sub") (param f64) (result f64) (f64.sub (f64.const -0.0) (local.get 0)))
  ;; CHECK-LABEL: define tailcc float @pwf_12(
  ;; CHECK: %[[R:[0-9]+]] = fptrunc double
  ;; CHECK: fcmp uno float
  ;; CHECK: select i1 %{{[0-9]+}}, float %{{[0-9]+}}, float %[[R]]
  (func (export "promote_demote") (param f32) (result f32)
    (f32.demote_f64 (f64.promote_f32 (local.get 0))))
)

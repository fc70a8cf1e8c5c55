;; Shapes of the IR that emit_simd.cpp produces for the SIMD operators with non-obvious Wasm
;; semantics. -O0 keeps the emitter's own output; the same IR also goes to NVPTX, so no
;; target-specific intrinsic may appear.
;; RUN: parawasm compile --emit=llvm -O0 %s | FileCheck %s
;; CHECK-NOT: @llvm.x86.
;; CHECK-NOT: @llvm.nvvm.
(module
  (memory 1)

  ;; Out-of-range swizzle indices select 0; in-range ones are masked before the variable extract.
  ;; CHECK-LABEL: define tailcc {{.*}} @pwf_0(
  ;; CHECK: and <16 x i8> %{{.*}}, <i8 15,
  ;; CHECK: extractelement <16 x i8> %{{.*}}, i8 %
  ;; CHECK: icmp ult <16 x i8> %{{.*}}, <i8 16,
  ;; CHECK: select <16 x i1> %{{.*}}, <16 x i8> %{{.*}}, <16 x i8> zeroinitializer
  (func (param v128 v128) (result v128) (i8x16.swizzle (local.get 0) (local.get 1)))

  ;; min propagates NaN and orders -0 < +0 (llvm.minimum); a NaN operand is quieted by an add.
  ;; CHECK-LABEL: define tailcc {{.*}} @pwf_1(
  ;; CHECK-DAG: fcmp uno <4 x float>
  ;; CHECK-DAG: fadd <4 x float>
  ;; CHECK-DAG: call <4 x float> @llvm.minimum.v4f32(
  ;; CHECK: select <4 x i1>
  (func (param v128 v128) (result v128) (f32x4.min (local.get 0) (local.get 1)))

  ;; pmin is exactly `b < a ? b : a`.
  ;; CHECK-LABEL: define tailcc {{.*}} @pwf_2(
  ;; CHECK-SAME: <4 x i32> %[[X:[0-9]+]], <4 x i32> %[[Y:[0-9]+]])
  ;; CHECK-DAG: %[[A:[0-9]+]] = bitcast <4 x i32> %[[X]] to <2 x double>
  ;; CHECK-DAG: %[[B:[0-9]+]] = bitcast <4 x i32> %[[Y]] to <2 x double>
  ;; CHECK: %[[LT:[0-9]+]] = fcmp olt <2 x double> %[[B]], %[[A]]
  ;; CHECK: select <2 x i1> %[[LT]], <2 x double> %[[B]], <2 x double> %[[A]]
  (func (param v128 v128) (result v128) (f64x2.pmin (local.get 0) (local.get 1)))

  ;; Shift counts are taken modulo the lane width.
  ;; CHECK-LABEL: define tailcc {{.*}} @pwf_3(
  ;; CHECK: and i32 %{{.*}}, 7
  ;; CHECK: ashr <16 x i8>
  (func (param v128 i32) (result v128) (i8x16.shr_s (local.get 0) (local.get 1)))

  ;; abs(INT_MIN) stays INT_MIN, so INT_MIN must not be poison.
  ;; CHECK-LABEL: define tailcc {{.*}} @pwf_4(
  ;; CHECK: call <4 x i32> @llvm.abs.v4i32(<4 x i32> %{{.*}}, i1 false)
  (func (param v128) (result v128) (i32x4.abs (local.get 0)))

  ;; Saturating truncation of two doubles, upper lanes zero.
  ;; CHECK-LABEL: define tailcc {{.*}} @pwf_5(
  ;; CHECK: call <2 x i32> @llvm.fptoui.sat.v2i32.v2f64(
  ;; CHECK: shufflevector <2 x i32> %{{.*}}, <2 x i32> zeroinitializer, <4 x i32> <i32 0, i32 1, i32 2, i32 3>
  (func (param v128) (result v128) (i32x4.trunc_sat_f64x2_u_zero (local.get 0)))

  ;; Narrowing clamps as signed values, then truncates.
  ;; CHECK-LABEL: define tailcc {{.*}} @pwf_6(
  ;; CHECK: call <16 x i16> @llvm.smax.v16i16(<16 x i16> %{{.*}}, <16 x i16> zeroinitializer)
  ;; CHECK: call <16 x i16> @llvm.smin.v16i16(<16 x i16> %{{.*}}, <16 x i16> <i16 255,
  ;; CHECK: trunc <16 x i16> %{{.*}} to <16 x i8>
  (func (param v128 v128) (result v128) (i8x16.narrow_i16x8_u (local.get 0) (local.get 1)))

  ;; Bitmask: one bit per lane sign.
  ;; CHECK-LABEL: define tailcc {{.*}} @pwf_7(
  ;; CHECK: icmp slt <8 x i16> %{{.*}}, zeroinitializer
  ;; CHECK: bitcast <8 x i1> %{{.*}} to i8
  ;; CHECK: zext i8 %{{.*}} to i32
  (func (param v128) (result i32) (i16x8.bitmask (local.get 0)))

  ;; Wasm alignment is only a hint: every access is emitted with align 1 (volatile at -O0: the
  ;; fast tier's instruction selection would narrow or drop it, compile/load_anchors.h).
  ;; CHECK-LABEL: define tailcc {{.*}} @pwf_8(
  ;; CHECK: load volatile <4 x i16>, ptr {{.*}}, align 1
  ;; CHECK: sext <4 x i16> %{{.*}} to <4 x i32>
  (func (param i32) (result v128) (v128.load16x4_s offset=3 align=8 (local.get 0)))

  ;; CHECK-LABEL: define tailcc {{.*}} @pwf_9(
  ;; CHECK: extractelement <2 x i64> %{{.*}}, i64 1
  ;; CHECK: store i64 %{{.*}}, ptr {{.*}}, align 1
  (func (param i32 v128) (v128.store64_lane 1 (local.get 0) (local.get 1)))

  ;; q15mulr: (a * b + 0x4000) >> 15 in 32 bits, saturated at 32767.
  ;; CHECK-LABEL: define tailcc {{.*}} @pwf_10(
  ;; CHECK: mul <8 x i32>
  ;; CHECK: add <8 x i32> %{{.*}}, <i32 16384,
  ;; CHECK: ashr <8 x i32> %{{.*}}, <i32 15,
  ;; CHECK: call <8 x i32> @llvm.smin.v8i32(<8 x i32> %{{.*}}, <8 x i32> <i32 32767,
  (func (param v128 v128) (result v128) (i16x8.q15mulr_sat_s (local.get 0) (local.get 1)))
)

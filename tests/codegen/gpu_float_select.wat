;; A select between two floats on their own comparison stays a select on a GPU: LLVM's
;; instruction selection would make `select (fcmp olt x, C), x, C` a PTX min.f32 (max.f32), which
;; for x = -0.0 and C = +0.0 gives -0.0 where Wasm's pmin/pmax and `select` give +0.0.
;; RUN: parawasm compile --emit=ptx %s | FileCheck %s
(module
  (import "env" "memory" (memory 0))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
    (param $p i32) (param $p_len i32)
    (local $x f32)
    (local.set $x (f32.load (local.get $p)))
    ;; pmin(+0, x) = x < +0 ? x : +0; pmax(-0, x) = -0 < x ? x : -0
    (v128.store offset=16 (local.get $p)
      (f32x4.pmin (v128.const f32x4 0 0 0 0) (v128.load offset=32 (local.get $p))))
    (v128.store offset=48 (local.get $p)
      (f64x2.pmax (v128.const f64x2 -0 -0) (v128.load offset=64 (local.get $p))))
    (f32.store offset=4 (local.get $p)
      (select (local.get $x) (f32.const 0) (f32.lt (local.get $x) (f32.const 0))))))

;; CHECK-LABEL: .entry pw_gpu_kernel(
;; CHECK-NOT: {{min|max}}.f{{32|64}}
;; CHECK: selp.b32
;; CHECK-NOT: {{min|max}}.f{{32|64}}

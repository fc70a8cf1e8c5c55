;; A GPU thread's copy of a float global starts with the initialiser's bits, a signalling NaN's
;; included: a constant made through a double would come out quiet (0x7fe00001).
;; RUN: parawasm compile --emit=ptx %s | FileCheck %s
(module
  (import "env" "memory" (memory 0))
  (global $s32 f32 (f32.const nan:0x200001))
  (global $s64 (mut f64) (f64.const -nan:0x4000000000001))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
    (param $p i32) (param $p_len i32)
    (f32.store (local.get $p) (global.get $s32))
    (f64.store offset=8 (local.get $p) (global.get $s64))))

;; 0x7fa00001 and 0xfff4000000000001 (as a signed 64-bit number); quiet: 0x7fe00001, 0xfffc000000000001
;; CHECK-DAG: 2141192193
;; CHECK-DAG: -3377699720527871
;; CHECK-NOT: {{2145386497|-1125899906842623}}

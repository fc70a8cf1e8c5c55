;; fN.min and fN.max of a signalling NaN and a number are a NaN, however the NaN got there (a
;; parameter, a select, abs/neg of one): x86 returns an sNaN operand unchanged, and LLVM 19's
;; AVX-512 lowering of llvm.minimum returned the number (FunctionTranslator::minMax).

(module
  (func (export "f32.min") (param $a f32) (param $b f32) (result f32) (f32.min (local.get $a) (local.get $b)))
  (func (export "f32.max") (param $a f32) (param $b f32) (result f32) (f32.max (local.get $a) (local.get $b)))
  (func (export "f64.min") (param $a f64) (param $b f64) (result f64) (f64.min (local.get $a) (local.get $b)))
  (func (export "f64.max") (param $a f64) (param $b f64) (result f64) (f64.max (local.get $a) (local.get $b)))
  (func (export "f32.min_abs_select") (param $c i32) (param $b i32) (result f32)
    (f32.min (f32.abs (select (f32.const nan:0x200001) (f32.const 2) (local.get $c)))
             (f32.convert_i32_s (i32.ne (local.get $b) (i32.const 0)))))
  (func (export "f64.max_neg_select") (param $c i32) (param $b i32) (result f64)
    (f64.max (f64.neg (select (f64.const -nan:0x1) (f64.const 2) (local.get $c)))
             (f64.convert_i32_s (i32.ne (local.get $b) (i32.const 0)))))
  (func (export "f32x4.min") (param $a f32) (param $b f32) (result f32)
    (f32x4.extract_lane 1 (f32x4.min (f32x4.splat (local.get $a)) (f32x4.splat (local.get $b)))))
)

(assert_return (invoke "f32.min" (f32.const nan:0x200001) (f32.const 1)) (f32.const nan:arithmetic))
(assert_return (invoke "f32.min" (f32.const 1) (f32.const nan:0x200001)) (f32.const nan:arithmetic))
(assert_return (invoke "f32.max" (f32.const -nan:0x1) (f32.const 1)) (f32.const nan:arithmetic))
(assert_return (invoke "f64.min" (f64.const nan:0x4000000000001) (f64.const -0)) (f64.const nan:arithmetic))
(assert_return (invoke "f64.max" (f64.const 1) (f64.const nan:0x1)) (f64.const nan:arithmetic))
(assert_return (invoke "f32.min" (f32.const -0) (f32.const 0)) (f32.const -0))
(assert_return (invoke "f64.max" (f64.const -0) (f64.const 0)) (f64.const 0))
(assert_return (invoke "f32.min_abs_select" (i32.const 1) (i32.const 1)) (f32.const nan:arithmetic))
(assert_return (invoke "f32.min_abs_select" (i32.const 0) (i32.const 1)) (f32.const 1))
(assert_return (invoke "f64.max_neg_select" (i32.const 1) (i32.const 0)) (f64.const nan:arithmetic))
(assert_return (invoke "f64.max_neg_select" (i32.const 0) (i32.const 0)) (f64.const 0))
(assert_return (invoke "f32x4.min" (f32.const nan:0x200001) (f32.const 1)) (f32.const nan:arithmetic))

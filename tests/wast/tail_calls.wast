;; Tail calls (issue 14): return_call and return_call_indirect run unbounded tail recursion in
;; constant stack, also when caller and callee take different parameters.
(module
  (type $ii (func (param i64 i64) (result i64)))
  (table funcref (elem $even $odd $count3))
  ;; Mutual recursion whose parameter lists differ (the callee needs more stack arguments).
  (func $even (export "even") (param $n i64) (result i32)
    (if (result i32) (i64.eqz (local.get $n))
      (then (i32.const 1))
      (else (return_call $odd (i64.sub (local.get $n) (i64.const 1)) (i32.const 0) (f64.const 1)
                              (i64.const 2) (i64.const 3) (i64.const 4) (i64.const 5)
                              (i64.const 6) (i64.const 7) (f32.const 8)))))
  (func $odd (param $n i64) (param i32 f64 i64 i64 i64 i64 i64 i64 f32) (result i32)
    (if (result i32) (i64.eqz (local.get $n))
      (then (i32.const 0))
      (else (return_call $even (i64.sub (local.get $n) (i64.const 1))))))
  (func $count3 (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call_indirect (type $ii)
              (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (i64.const 3))
              (i32.const 2)))))
  (func (export "count3") (param i64) (result i64)
    (return_call $count3 (local.get 0) (i64.const 0)))
  ;; Two results still return in registers: a guaranteed tail call.
  (func $pair (export "pair") (param $n i32) (param $a i32) (result i32 i64)
    (if (result i32 i64) (i32.eqz (local.get $n))
      (then (local.get $a) (i64.extend_i32_u (local.get $a)))
      (else (return_call $pair (i32.sub (local.get $n) (i32.const 1))
                               (i32.add (local.get $a) (i32.const 2))))))
  ;; Three results are returned through memory: an ordinary call, still correct.
  (func $triple (export "triple") (param $n i32) (result i32 i32 i32)
    (if (result i32 i32 i32) (i32.eqz (local.get $n))
      (then (i32.const 1) (i32.const 2) (i32.const 3))
      (else (return_call $triple (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "wrong-type") (result i64)
    (return_call_indirect (type $ii) (i64.const 1) (i64.const 2) (i32.const 0)))
  (func (export "out-of-range") (result i64)
    (return_call_indirect (type $ii) (i64.const 1) (i64.const 2) (i32.const 9)))
  ;; An ordinary call in tail position is not a tail call: it still exhausts the stack.
  (func $loop (export "loop") (param i32) (result i32) (call $loop (local.get 0)))
)
(assert_return (invoke "even" (i64.const 0)) (i32.const 1))
(assert_return (invoke "even" (i64.const 7)) (i32.const 0))
(assert_return (invoke "even" (i64.const 10000000)) (i32.const 1))
(assert_return (invoke "count3" (i64.const 5000000)) (i64.const 15000000))
(assert_return (invoke "pair" (i32.const 3000000) (i32.const 0)) (i32.const 6000000) (i64.const 6000000))
(assert_return (invoke "triple" (i32.const 1000)) (i32.const 1) (i32.const 2) (i32.const 3))
(assert_trap (invoke "wrong-type") "indirect call type mismatch")
(assert_trap (invoke "out-of-range") "undefined element")
(assert_exhaustion (invoke "loop" (i32.const 0)) "call stack exhausted")

;; A tail call to an imported function (here: one of another instance).
(register "tc")
(module
  (import "tc" "count3" (func $c (param i64) (result i64)))
  (func (export "via-import") (param i64) (result i64) (return_call $c (local.get 0))))
(assert_return (invoke "via-import" (i64.const 1000000)) (i64.const 3000000))

(assert_invalid
  (module (func $f (result i32) (i32.const 0)) (func (result i64) (return_call $f)))
  "type mismatch")
(assert_invalid
  (module (func $f (param i32)) (func (return_call $f)))
  "type mismatch")
(assert_invalid
  (module (type (func)) (table 1 externref)
    (func (return_call_indirect (type 0) (i32.const 0))))
  "type mismatch")
(assert_invalid
  (module (type (func (result i32))) (table 1 funcref)
    (func (return_call_indirect (type 0) (i32.const 0))))
  "type mismatch")

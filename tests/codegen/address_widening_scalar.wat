;; A loop that carries a floating-point sum kept in order (Wasm never reassociates) is one the
;; vectoriser cannot take on x86, so it is not widened: no guard, no .pw.wrap copy, nothing
;; that costs per entry of the loop (sparse's short row dot products spent a third of their
;; instructions in the guard). The same loop summing integers is widened and vectorised.
;; Issue 11; src/compile/address_widening.cpp (staysScalar).
;; RUN: parawasm compile -O2 %s | FileCheck %s

(module
  (memory 1)
  ;; sum of a[i] * b[i] in f64, in order.
  ;; CHECK-LABEL: define {{.*}} @pwf_0(
  ;; CHECK-NOT: 4294967296
  ;; CHECK-NOT: .pw.wrap
  ;; CHECK-NOT: x double>
  ;; CHECK: fmul double
  ;; CHECK-NOT: .pw.wrap
  ;; CHECK-LABEL: {{^}}}
  (func (export "dot") (param $a i32) (param $b i32) (param $n i32) (result f64)
    (local $i i32) (local $sum f64)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $sum (f64.add (local.get $sum)
          (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    (local.get $sum))

  ;; The same in i64: widened (the guard against 4 GiB, the .pw.wrap copy) and vectorised.
  ;; CHECK-LABEL: define {{.*}} @pwf_1(
  ;; CHECK: 4294967296
  ;; CHECK: .pw.wrap
  ;; CHECK: mul <{{[0-9]+}} x i64>
  ;; CHECK-LABEL: {{^}}}
  (func (export "isum") (param $a i32) (param $b i32) (param $n i32) (result i64)
    (local $i i32) (local $sum i64)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $sum (i64.add (local.get $sum)
          (i64.mul (i64.load (local.get $a)) (i64.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    (local.get $sum))
)

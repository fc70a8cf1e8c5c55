;; The unrolled loop shape clang -O2/-O3 emits (two neighbours per round, addressed as x and x + 8
;; with 32-bit adds) becomes contiguous vector code at -O2: the loop is versioned on guards that
;; the 32-bit sums never wrap and stay in bounds, and the untouched copy (.pw.wrap) keeps the
;; spec's modular addresses. No gathers or scatters, and no run-time alias check between the
;; two halves of one row (which would always fail). The untouched copy doubles as the alignment
;; prologue: when the guard holds (and n >= 16) it runs (-address mod 64) / 16 rounds, until the
;; stores are 64-byte aligned, and the vector loop goes on from there. Issue 11.
;; RUN: parawasm compile -O2 %s | FileCheck %s

(module
  (memory 1)
  ;; c[j] += a * b[j], two elements a round, n rounds.
  ;; CHECK-LABEL: define tailcc void @pwf_0(
  ;; CHECK: icmp ult i64 %{{.*}}, 4294967296
  ;; CHECK: load atomic i64
  ;; CHECK: %pw.peel.count = select i1 %{{.*}}, i64 %{{.*}}, i64 0
  ;; CHECK: .pw.wrap:
  ;; CHECK-NOT: x double>
  ;; CHECK: icmp eq i64 %pw.peel.count,
  ;; CHECK-NOT: masked.gather
  ;; CHECK-NOT: masked.scatter
  ;; CHECK-NOT: found.conflict
  ;; CHECK: load <{{[0-9]+}} x double>
  ;; CHECK: fmul <{{[0-9]+}} x double>
  ;; CHECK: store <{{[0-9]+}} x double>
  ;; CHECK-NOT: masked.gather
  ;; CHECK-NOT: masked.scatter
  ;; CHECK-LABEL: }
  (func (export "axpy_row") (param $c i32) (param $b i32) (param $a f64) (param $n i32)
    (local $i i32)
    (loop $l
      (f64.store (local.get $c)
        (f64.add (f64.load (local.get $c)) (f64.mul (local.get $a) (f64.load (local.get $b)))))
      (f64.store (i32.add (local.get $c) (i32.const 8))
        (f64.add (f64.load (i32.add (local.get $c) (i32.const 8)))
                 (f64.mul (local.get $a) (f64.load (i32.add (local.get $b) (i32.const 8))))))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
)

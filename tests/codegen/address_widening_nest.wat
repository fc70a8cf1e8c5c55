;; A loop over rows around a row loop (dgemm's `c[i][j] += a[i][k] * b[k][j]` over k): the row
;; loop's guard would run once per row. Its terms are affine in the row number, so their extremes
;; over all rows are checked once, before the outer loop (`pw.outer.ok`); only where that fails
;; does the per-row guard (`pw.disjoint`) run. Where a row's start is loaded from memory, nothing
;; is hoisted. The values are checked by tests/unit/compile/loop_widening_test.cpp ("rows").
;; RUN: parawasm compile -O2 %s | FileCheck %s
(module
  (memory 1)
  ;; CHECK-LABEL: define tailcc {{.*}} @pwf_0(
  ;; CHECK: %pw.outer.ok = and i1
  ;; CHECK: br i1 %pw.outer.ok, label %{{[^,]+}}, label %[[GUARD:[^ ,]+]]
  ;; CHECK: [[GUARD]]:
  ;; CHECK: pw.disjoint
  ;; CHECK: store <{{[0-9]+}} x double>
  ;; CHECK-LABEL: }
  (func (export "rows") (param $a i32) (param $b i32) (param $stride i32) (param $rows i32)
    (param $cols i32)
    (local $r i32) (local $j i32) (local $pa i32) (local $pb i32)
    (block $done (br_if $done (i32.or (i32.eqz (local.get $cols)) (i32.eqz (local.get $rows))))
      (loop $outer
        (local.set $pa (local.get $a))
        (local.set $pb (i32.add (local.get $b) (i32.mul (local.get $r) (local.get $stride))))
        (local.set $j (i32.const 0))
        (loop $l
          (f64.store (local.get $pa) (f64.add (f64.load (local.get $pa))
            (f64.mul (f64.const 3) (f64.load (local.get $pb)))))
          (f64.store offset=8 (local.get $pa) (f64.add (f64.load offset=8 (local.get $pa))
            (f64.mul (f64.const 3) (f64.load offset=8 (local.get $pb)))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
          (br_if $l (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $cols))))
        (br_if $outer (i32.ne (local.tee $r (i32.add (local.get $r) (i32.const 1)))
                              (local.get $rows))))))

  ;; CHECK-LABEL: define tailcc {{.*}} @pwf_1(
  ;; CHECK-NOT: pw.outer.ok
  ;; CHECK: pw.disjoint
  ;; CHECK-NOT: pw.outer.ok
  ;; CHECK-LABEL: }
  (func (export "row_table") (param $a i32) (param $table i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $j i32) (local $pa i32) (local $pb i32)
    (block $done (br_if $done (i32.or (i32.eqz (local.get $cols)) (i32.eqz (local.get $rows))))
      (loop $outer
        (local.set $pa (local.get $a))
        (local.set $pb (i32.load (i32.add (local.get $table) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $j (i32.const 0))
        (loop $l
          (f64.store (local.get $pa) (f64.add (f64.load (local.get $pa))
            (f64.mul (f64.const 3) (f64.load (local.get $pb)))))
          (f64.store offset=8 (local.get $pa) (f64.add (f64.load offset=8 (local.get $pa))
            (f64.mul (f64.const 3) (f64.load offset=8 (local.get $pb)))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
          (br_if $l (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $cols))))
        (br_if $outer (i32.ne (local.tee $r (i32.add (local.get $r) (i32.const 1)))
                              (local.get $rows))))))
)

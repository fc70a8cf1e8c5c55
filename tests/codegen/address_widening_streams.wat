;; Two static arrays are one group (their distance is a constant), but two streams: the guard
;; checks each written row on its own against the rows read, instead of one range spanning both
;; arrays, which would overlap the rows read and send every call to the scalar copy (what
;; happened to the PRK stencil's `out[i][j] += in[i-2][j] … in[i][j±2]`). Written rows of one
;; group are not checked against each other: their distance is known. The scalar copy is not
;; unrolled either.
;; RUN: parawasm compile -O2 %s | FileCheck %s
(module
  (memory 2)
  ;; CHECK-LABEL: define tailcc void @pwf_0(
  ;; CHECK-COUNT-2: pw.disjoint{{[0-9]*}} = or i1
  ;; CHECK-NOT: pw.disjoint{{[0-9]*}} = or
  ;; CHECK: store <{{[0-9]+}} x double>
  ;; CHECK: store <{{[0-9]+}} x double>
  ;; CHECK-NOT: unr-lcssa
  ;; CHECK-LABEL: }
  (func (export "copy_row_twice") (param $row i32) (param $stride i32) (param $n i32)
    (local $j i32) (local $at i32)
    (loop $l
      (local.set $at (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3))))
      (f64.store offset=1024 (local.get $at)
        (f64.load offset=65536 (i32.sub (local.get $at) (local.get $stride))))
      (f64.store offset=33792 (local.get $at)
        (f64.add (f64.const 1) (f64.load offset=65536 (i32.sub (local.get $at) (local.get $stride)))))
      (br_if $l (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n)))))
)

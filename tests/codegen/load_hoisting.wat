;; Loads that a loop repeats only because its stores might change them (src/compile/
;; load_hoisting.cpp): m and d below are loaded once, before the loop. The store's address is then
;; an affine function of the iteration, so the bytes it covers over the whole loop are checked
;; against m and d once, before it (pw.hoist.ranges.ok), and the loop has no check left. Where a
;; store's address is itself loaded (scatter), each store compares its address with their bytes
;; (pw.hoist.hit), and an iteration whose store hit hands over to the original loop, which reloads
;; them (pw.hoist.check). A loop whose stores are in an inner loop, and one that calls a function
;; every iteration, keep their loads. The values are checked by
;; tests/unit/compile/load_hoisting_test.cpp ("grid", "scatter", "nest", "call"). Loads of which
;; only some bits are used (m, d) are volatile, hoisted like the others (compile/load_anchors.h).
;; RUN: parawasm compile -O2 %s | FileCheck %s
(module
  (memory 1)
  (func $opaque (param i32))
  (table 1 funcref)
  (elem (i32.const 0) $opaque)
  (type $sink (func (param i32)))

  ;; CHECK-LABEL: define {{.*}} @pwf_1(
  ;; CHECK: load volatile i32
  ;; CHECK: load volatile i32
  ;; CHECK: %pw.hoist.ranges.ok{{[.a-z]*}} = {{.*}}
  ;; CHECK: loop.pw.hoisted:
  ;; CHECK-NOT: load i32
  ;; CHECK-NOT: pw.hoist.check
  ;; CHECK: store double
  ;; CHECK-NOT: pw.hoist.check
  ;; CHECK: label %loop.pw.hoisted, !llvm.loop ![[HOISTED:[0-9]+]]
  ;; CHECK-NOT: pw.hoist.check
  ;; CHECK-LABEL: {{^}}}
  (func (export "grid") (param $a i32) (param $p i32) (param $n i32) (result i64)
    (local $i i32) (local $m i32) (local $d i32) (local $at i32) (local $acc i64)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $m (i32.and (i32.load (local.get $p)) (i32.const 31)))
        (local.set $d (i32.and (i32.load offset=4 (local.get $p)) (i32.const 7)))
        (local.set $at (i32.add (local.get $a) (i32.shl (i32.add (i32.mul (local.get $i)
                         (local.get $m)) (local.get $d)) (i32.const 3))))
        (f64.store (local.get $at) (f64.add (f64.load (local.get $at))
                                            (f64.convert_i32_s (local.get $i))))
        (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 3))
                                 (i64.extend_i32_u (i32.add (local.get $m) (local.get $d)))))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    (local.get $acc))

  ;; CHECK-LABEL: define {{.*}} @pwf_2(
  ;; CHECK-NOT: pw.hoist
  ;; CHECK-LABEL: {{^}}}
  (func (export "nest") (param $a i32) (param $p i32) (param $n i32) (result i64)
    (local $r i32) (local $j i32) (local $v i32)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $outer
        (local.set $v (i32.mul (i32.load (local.get $p)) (i32.const 0x9e3779b1)))
        (local.set $j (i32.const 0))
        (loop $inner
          (i32.store (i32.add (local.get $a) (i32.shl (i32.add (i32.mul (local.get $r)
                       (local.get $n)) (local.get $j)) (i32.const 2)))
            (i32.xor (local.get $v) (local.get $j)))
          (br_if $inner (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 1)))
                                (local.get $n))))
        (br_if $outer (i32.ne (local.tee $r (i32.add (local.get $r) (i32.const 1)))
                              (i32.const 4)))))
    (i64.const 0))

  ;; CHECK-LABEL: define {{.*}} @pwf_3(
  ;; CHECK-NOT: pw.hoist
  ;; CHECK-LABEL: {{^}}}
  (func (export "call") (param $a i32) (param $p i32) (param $n i32) (result i64)
    (local $i i32) (local $v i32)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $v (i32.mul (i32.load (local.get $p)) (i32.const 0x9e3779b1)))
        (i32.store (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))
          (i32.xor (local.get $v) (i32.shr_u (local.get $v) (i32.const 7))))
        (call_indirect (type $sink) (local.get $i) (i32.const 0))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    (i64.const 0))

  ;; CHECK-LABEL: define {{.*}} @pwf_4(
  ;; CHECK: pw.hoisted:
  ;; CHECK: %pw.hoist.hit{{[0-9]*}} = icmp ult i64
  ;; CHECK: pw.hoist.check{{[0-9]*}}:
  ;; CHECK-LABEL: {{^}}}
  (func (export "scatter") (param $a i32) (param $p i32) (param $idx i32) (param $n i32) (result i64)
    (local $i i32) (local $v i32)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $v (i32.mul (i32.load (local.get $p)) (i32.const 0x9e3779b1)))
        (local.set $v (i32.xor (local.get $v) (i32.shr_u (local.get $v) (i32.const 15))))
        (local.set $v (i32.mul (local.get $v) (i32.const 0x85ebca6b)))
        (local.set $v (i32.xor (local.get $v) (i32.shr_u (local.get $v) (i32.const 13))))
        (i32.store (i32.add (local.get $a) (i32.shl (i32.and (i32.load (i32.add (local.get $idx)
                     (i32.shl (local.get $i) (i32.const 2)))) (i32.const 255)) (i32.const 2)))
          (i32.add (local.get $v) (local.get $i)))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    (i64.const 0))

  ;; reduce's kernel in its driver: the params load comes after a store (clang sinks it to its
  ;; first use). The first iteration runs as written (store, then load: the load must not trap
  ;; before the store); the rest load once, behind one range check of both stores, and the loop
  ;; is vectorised. Checked by tests/unit/compile/load_hoisting_test.cpp ("after").
  ;; CHECK-LABEL: define {{.*}} @pwf_6(
  ;; CHECK: store double
  ;; CHECK: load i32
  ;; CHECK: pw.hoisted:
  ;; CHECK: load i32
  ;; CHECK: %pw.hoist.ranges.ok{{[.a-z0-9]*}} =
  ;; CHECK: fadd <{{[0-9]+}} x double>
  ;; CHECK-LABEL: {{^}}}
  (func $afterBody (param $i i32) (param $a i32) (param $p i32)
    (local $m i32)
    (f64.store (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3)))
      (f64.add (f64.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3))))
               (f64.const 1)))
    (local.set $m (i32.load (local.get $p)))
    (f64.store (i32.add (local.get $a) (i32.shl (i32.add (local.get $m) (local.get $i)) (i32.const 3)))
      (f64.add (f64.load (i32.add (local.get $a) (i32.shl (i32.add (local.get $m) (local.get $i))
                                                          (i32.const 3))))
               (f64.const 1))))
  (func (export "after") (param $a i32) (param $p i32) (param $n i32)
    (local $i i32)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (call $afterBody (local.get $i) (local.get $a) (local.get $p))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))))

  ;; p2p's kernel in its driver: d loaded before the store, m after it but lower in memory. Once
  ;; the load of d has not trapped, neither can that of m: both are hoisted, and no iteration is
  ;; peeled off (each piece of a p2p launch would run one as written).
  ;; CHECK-LABEL: define {{.*}} @pwf_8(
  ;; CHECK-NOT: .peel
  ;; CHECK: %pw.hoist.ranges.ok{{[.a-z0-9]*}} =
  ;; CHECK-NOT: .peel
  ;; CHECK: loop.pw.hoisted:
  ;; CHECK-NOT: .peel
  ;; CHECK-LABEL: {{^}}}
  (func $leadBody (param $i i32) (param $a i32) (param $p i32)
    (local $m i32) (local $d i32)
    (local.set $d (i32.load offset=4 (local.get $p)))
    (f64.store (i32.add (local.get $a) (i32.shl (i32.add (local.get $i) (local.get $d)) (i32.const 3)))
      (f64.const 1))
    (local.set $m (i32.load (local.get $p)))
    (if (i32.eq (local.get $i) (local.get $m))
      (then (f64.store (local.get $a) (f64.const 2)))))
  (func (export "lead") (param $a i32) (param $p i32) (param $n i32)
    (local $i i32)
    (block $done (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (call $leadBody (local.get $i) (local.get $a) (local.get $p))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))))

  ;; grid's loop, left with no check, is not unrolled by its run-time trip count (that spilled
  ;; the hoisted values in p2p's driver loop).
  ;; CHECK: ![[HOISTED]] = distinct !{![[HOISTED]], ![[MARKER:[0-9]+]], ![[NORUNTIME:[0-9]+]]}
  ;; CHECK: ![[MARKER]] = !{!"parawasm.loads.hoisted"}
  ;; CHECK: ![[NORUNTIME]] = !{!"llvm.loop.unroll.runtime.disable"}
)

;; A table-index worker compiled for a GPU from its whole program (a defined memory with a data
;; segment, a WASI import the worker does not reach, a mutable global it does not touch): the
;; PTX entry wraps the worker, and ptxas takes it.
;; REQUIRES: ptxas
;; RUN: parawasm compile --emit=ptx --sm=80 --kernel=scale %s > %t.ptx && ptxas -arch=sm_80 %t.ptx -o %t.cubin
;; RUN: parawasm compile --emit=ptx --sm=80 --kernel=scale %s | FileCheck %s
;; CHECK: .visible .entry pw_gpu_kernel(
(module
  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
  (memory 1)
  (data (i32.const 0) "program data")
  (global $sp (mut i32) (i32.const 65536))
  (table (export "table") 2 funcref)
  (elem (i32.const 1) $scale)
  (func $scale (export "scale") (param $t i32) (param $n i32) (param $block i32)
        (param $a i32) (param $a_len i32) (param $c i32) (param $c_len i32)
    (local $i i32) (local $end i32)
    (local.set $i (i32.mul (local.get $t) (local.get $block)))
    (local.set $end (i32.add (local.get $i) (local.get $block)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
      (f32.store (i32.add (local.get $c) (i32.shl (local.get $i) (i32.const 2)))
        (f32.mul (f32.const 2) (f32.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next))))
  (func (export "_start") (drop (call $yield)) (global.set $sp (i32.const 0))))

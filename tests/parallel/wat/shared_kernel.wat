;; Imports a shared memory under other names; the caller's unshared memory is bound all the same.
;; out[i] = 3 i, with a private table and an indirect call.
(module
  (import "caller" "mem" (memory 1 65536 shared))
  (type $t (func (param i32) (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $triple)
  (func $triple (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
        (param $out i32) (param $out_len i32)
    (i32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
               (call_indirect (type $t) (local.get $i) (i32.const 0)))))

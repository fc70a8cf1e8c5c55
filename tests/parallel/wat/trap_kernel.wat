;; Traps at iteration 10.
(module
  (import "env" "memory" (memory 0))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
        (param $out i32) (param $out_len i32)
    (if (i32.eq (local.get $i) (i32.const 10)) (then unreachable))
    (i32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (local.get $i))))

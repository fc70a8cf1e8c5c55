;; c[i] = a[i] + b[i] over i32 elements.
(module
  (import "env" "memory" (memory 1))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
        (param $a i32) (param $a_len i32) (param $b i32) (param $b_len i32)
        (param $c i32) (param $c_len i32)
    (local $o i32)
    (local.set $o (i32.shl (local.get $i) (i32.const 2)))
    (i32.store (i32.add (local.get $c) (local.get $o))
      (i32.add (i32.load (i32.add (local.get $a) (local.get $o)))
               (i32.load (i32.add (local.get $b) (local.get $o)))))))

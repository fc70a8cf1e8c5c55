;; PRK nstream in the Wasmtime prototype's style: a[i] += b[i] + scalar * c[i] over f32, the
;; scalar in the block_size slot's place being fixed at 3.0. The kernel WRITES a, which the
;; prototype's guest created with access 1 and passed as an in-buffer.
(module
  (import "env" "memory" (memory 1))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
        (param $a i32) (param $a_len i32) (param $b i32) (param $b_len i32)
        (param $c i32) (param $c_len i32)
    (local $o i32)
    (local.set $o (i32.shl (local.get $i) (i32.const 2)))
    (f32.store (i32.add (local.get $a) (local.get $o))
      (f32.add (f32.load (i32.add (local.get $a) (local.get $o)))
               (f32.add (f32.load (i32.add (local.get $b) (local.get $o)))
                        (f32.mul (f32.const 3.0)
                                 (f32.load (i32.add (local.get $c) (local.get $o)))))))))

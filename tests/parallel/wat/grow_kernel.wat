;; out[2i] = memory.grow(1) (a kernel cannot grow memory: -1); out[2i + 1] = memory.size.
(module
  (import "env" "memory" (memory 0))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
        (param $out i32) (param $out_len i32)
    (local $o i32)
    (local.set $o (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))))
    (i32.store (local.get $o) (memory.grow (i32.const 1)))
    (i32.store offset=4 (local.get $o) (memory.size))))

;; Each iteration parks its id in a global, works a while, and writes the global out: kernel
;; globals belong to one worker, so no other iteration can change it meanwhile.
(module
  (import "env" "memory" (memory 0))
  (global $id (mut i32) (i32.const -1))
  (global $noise (mut i32) (i32.const 0))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
        (param $out i32) (param $out_len i32)
    (local $k i32)
    (global.set $id (local.get $i))
    (local.set $k (i32.mul (i32.rem_u (local.get $i) (i32.const 5)) (i32.const 500)))
    (block $done
      (loop $spin
        (br_if $done (i32.eqz (local.get $k)))
        (global.set $noise (i32.add (global.get $noise) (local.get $k)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $spin)))
    (i32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
               (global.get $id))))

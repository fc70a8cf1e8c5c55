;; params = {kind, target, victim}; every iteration sets out[i] = 1, and iteration `target`
;; also writes outside the exec's buffers in the way `kind` says:
;;   0 one byte just past the end of `out`      1 an i32 at `victim` (the caller's other data)
;;   2 memory.fill of 8 bytes across the end of `out`
;;   3 memory.copy of params[1..2] (target, victim) across the end of `out`
;;   4 one byte at `victim` (a gap between the buffers)
;; (Atomics are checked too: tests/unit/parallel/cpu_device_test.cpp; wp-kernel's wat2wasm
;; takes no threads feature for an unshared memory.)
(module
  (import "env" "memory" (memory 1))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
        (param $params i32) (param $params_len i32) (param $out i32) (param $out_len i32)
    (local $kind i32)
    (local $victim i32)
    (local.set $kind (i32.load (local.get $params)))
    (local.set $victim (i32.load offset=8 (local.get $params)))
    (i32.store8 (i32.add (local.get $out) (local.get $i)) (i32.const 1))
    (if (i32.eq (local.get $i) (i32.load offset=4 (local.get $params)))
      (then
        (if (i32.eq (local.get $kind) (i32.const 0))
          (then (i32.store8 (i32.add (local.get $out) (local.get $out_len)) (i32.const 1))))
        (if (i32.eq (local.get $kind) (i32.const 1))
          (then (i32.store (local.get $victim) (i32.const 0x7e57))))
        (if (i32.eq (local.get $kind) (i32.const 2))
          (then (memory.fill (i32.sub (i32.add (local.get $out) (local.get $out_len)) (i32.const 4))
                             (i32.const 7) (i32.const 8))))
        (if (i32.eq (local.get $kind) (i32.const 3))
          (then (memory.copy (i32.sub (i32.add (local.get $out) (local.get $out_len)) (i32.const 4))
                             (i32.add (local.get $params) (i32.const 4)) (i32.const 8))))
        (if (i32.eq (local.get $kind) (i32.const 4))
          (then (i32.store8 (local.get $victim) (i32.const 1))))))))

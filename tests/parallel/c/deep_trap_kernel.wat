;; params = {kind (unused), target}; iteration `target` recurses until the stack overflows; every
;; iteration that finishes sets done[i] = 1. A GPU refuses the whole kernel (recursion).
(module
  (import "env" "memory" (memory 0))
  (func $deep (param $d i32) (result i32)
    ;; Not a tail call (sub does not commute): every level needs a frame.
    (i32.sub (local.get $d) (call $deep (i32.add (local.get $d) (i32.const 1)))))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
        (param $params i32) (param $params_len i32) (param $done i32) (param $done_len i32)
    (if (i32.eq (local.get $i) (i32.load offset=4 (local.get $params)))
      (then (drop (call $deep (i32.const 0)))))
    (i32.store8 (i32.add (local.get $done) (local.get $i)) (i32.const 1))))

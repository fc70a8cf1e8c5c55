;; params = {kind, target}; iteration `target` traps in the way `kind` says
;; (0 unreachable, 1 out-of-bounds load, 2 division by zero; a stack overflow, which needs
;; recursion and so no GPU runs, is deep_trap_kernel.wat); every iteration that finishes sets
;; done[i] = 1.
(module
  (import "env" "memory" (memory 0))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
        (param $params i32) (param $params_len i32) (param $done i32) (param $done_len i32)
    (local $kind i32)
    (local.set $kind (i32.load (local.get $params)))
    (if (i32.eq (local.get $i) (i32.load offset=4 (local.get $params)))
      (then
        (if (i32.eq (local.get $kind) (i32.const 0)) (then unreachable))
        (if (i32.eq (local.get $kind) (i32.const 1))
          (then (drop (i32.load (i32.const 0xfffffff0)))))
        (if (i32.eq (local.get $kind) (i32.const 2))
          (then (drop (i32.div_u (i32.const 1) (i32.sub (local.get $i) (local.get $i))))))))
    (i32.store8 (i32.add (local.get $done) (local.get $i)) (i32.const 1))))

;; A worker that traps in thread 2 of 4: parallel_for returns kernel_trapped (5) and the caller
;; goes on; its later parallel_for still works (returns 0). main returns 5 * 10 + 0 = 50.
(module
  (import "wasi_ephemeral_parallel" "parallel_for"
    (func $parallel_for (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (memory 1)
  (table $t 2 funcref)
  (elem (i32.const 0) $work)
  (func $work (param $t i32) (param $n i32) (param $bs i32)
    (if (i32.eq (local.get $t) (local.get $bs)) (then unreachable)))
  (func (export "main") (result i32)
    (i32.add
      (i32.mul (call $parallel_for (i32.const 0) (i32.const 4) (i32.const 2)
                                   (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
               (i32.const 10))
      (call $parallel_for (i32.const 0) (i32.const 4) (i32.const 9)
                          (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))))
)

;; A table-index parallel_for whose worker 1 spins and whose others wait for it on a shared
;; memory (memory.atomic.wait): a team where members wait on a member that never finishes.
(module
  (import "wasi_ephemeral_parallel" "parallel_for"
    (func $parallel_for (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1 1 shared)
  (table $t 1 funcref)
  (elem (i32.const 0) $work)
  (func $work (param $t i32) (param $n i32) (param $bs i32)
    (if (i32.eq (local.get $t) (i32.const 1))
      (then (loop $l (br $l))))
    (drop (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const -1))))
  (func (export "_start")
    (drop (call $parallel_for (i32.const 0) (i32.const 4) (i32.const 0)
                              (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))))

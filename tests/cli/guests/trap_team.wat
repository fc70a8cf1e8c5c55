;; A table-index parallel_for whose worker 1 traps while the others wait for it forever on a
;; shared memory (memory.atomic.wait): the trap stops the waiting members, so parallel_for
;; returns kernel_trapped (5), which _start prints; no -W timeout is needed.
(module
  (import "wasi_ephemeral_parallel" "parallel_for"
    (func $parallel_for (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1 1 shared)
  (table $t 1 funcref)
  (elem (i32.const 0) $work)
  (func $work (param $t i32) (param $n i32) (param $bs i32)
    (if (i32.eq (local.get $t) (i32.const 1))
      (then unreachable))
    (drop (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const -1))))
  (func (export "_start")
    (i32.store8 (i32.const 100)
      (i32.add (i32.const 48)
        (call $parallel_for (i32.const 0) (i32.const 4) (i32.const 0)
                            (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))))
    (i32.store8 (i32.const 101) (i32.const 10))
    (i32.store (i32.const 16) (i32.const 100))
    (i32.store (i32.const 20) (i32.const 2))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))))

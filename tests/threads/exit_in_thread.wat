;; proc_exit in a spawned thread ends the whole program with its status while the main thread
;; blocks forever in memory.atomic.wait32. The memory is imported: the CLI makes it.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (func (export "wasi_thread_start") (param i32 i32)
    (call $proc_exit (i32.const 7))
    unreachable)
  (func (export "_start")
    (if (i32.le_s (call $spawn (i32.const 0)) (i32.const 0)) (then unreachable))
    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
    unreachable))

;; A trap in a spawned thread ends the whole program (status 1, as in Wasmtime) while the main
;; thread blocks forever.
(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (memory 1 1 shared)
  (func $boom (i32.div_u (i32.const 1) (i32.const 0)) drop)
  (func (export "wasi_thread_start") (param i32 i32) (call $boom))
  (func (export "_start")
    (if (i32.le_s (call $spawn (i32.const 0)) (i32.const 0)) (then unreachable))
    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
    unreachable))

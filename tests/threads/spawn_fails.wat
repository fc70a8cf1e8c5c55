;; thread-spawn answers a negative value when the module cannot run threads: here its memory is
;; not shared (no thread may run over an unshared memory). run() returns 1 when it was negative.
(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (memory 1 1)
  (func (export "wasi_thread_start") (param i32 i32))
  (func (export "run") (result i32)
    (i32.lt_s (call $spawn (i32.const 0)) (i32.const 0))))

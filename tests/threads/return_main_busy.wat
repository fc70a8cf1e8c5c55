;; The main thread's return from _start ends the program (status 0) while a spawned thread
;; loops forever.
(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (memory 1 1 shared)
  (func (export "wasi_thread_start") (param i32 i32)
    (i32.atomic.store (i32.const 0) (i32.const 1))
    (loop $forever (br $forever)))
  (func (export "_start")
    (if (i32.le_s (call $spawn (i32.const 0)) (i32.const 0)) (then unreachable))
    ;; let the thread start looping
    (drop (memory.atomic.wait32 (i32.const 4) (i32.const 0) (i64.const 100000000)))))

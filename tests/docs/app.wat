;; Stands in for the docs' placeholder `app.wasm` / `server.wasm` (tests/docs/doc_commands.py):
;; a WASI command that prints one line and exits 0.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello from app\n")
  (func (export "_start")
    ;; one iovec at 0: {base 16, length 15}; bytes written go to 8
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 15))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))

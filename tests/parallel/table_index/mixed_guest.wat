;; parallel_for (table-index) and parallel_exec (witx) in one module: refused at link time.
(module
  (import "wasi_ephemeral_parallel" "parallel_for"
    (func (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_parallel" "parallel_exec"
    (func (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (func (export "main") (result i32) (i32.const 0)))

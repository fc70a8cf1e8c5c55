;; parallel_for imported with a type of no generation: refused at link time.
(module
  (import "wasi_ephemeral_parallel" "parallel_for" (func (param i32 i32) (result i32)))
  (func (export "main") (result i32) (i32.const 0)))

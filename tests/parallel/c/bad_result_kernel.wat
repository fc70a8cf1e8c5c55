;; Breaks kernel rule 2: `kernel` returns a value.
(module
  (import "env" "memory" (memory 0))
  (func (export "kernel") (param i32 i32 i32 i32 i32) (result i32) (local.get 0)))

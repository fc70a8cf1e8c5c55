;; Breaks a kernel rule: a parameter is not an i32.
(module
  (import "env" "memory" (memory 0))
  (func (export "kernel") (param i32 i32 i32 i64 i32)))

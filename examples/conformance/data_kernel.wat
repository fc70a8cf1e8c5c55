;; Breaks a kernel rule: a data segment would be written into the caller's memory.
(module
  (import "env" "memory" (memory 0))
  (data (i32.const 0) "clobber")
  (func (export "kernel") (param i32 i32 i32 i32 i32)))

;; Breaks kernel rule 3: a data segment would write into the caller's memory.
(module
  (import "env" "memory" (memory 0))
  (data (i32.const 0) "overwritten")
  (func (export "kernel") (param i32 i32 i32 i32 i32)))

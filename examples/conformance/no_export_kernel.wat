;; Breaks a kernel rule: the entry point is not called "kernel".
(module
  (import "env" "memory" (memory 0))
  (func (export "kernal") (param i32 i32 i32 i32 i32)))

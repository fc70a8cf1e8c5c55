;; Breaks a kernel rule: it imports a function besides the memory.
(module
  (import "env" "f" (func $f))
  (import "env" "memory" (memory 0))
  (func (export "kernel") (param i32 i32 i32 i32 i32) (call $f)))

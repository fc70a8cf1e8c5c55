;; Breaks kernel rule 2: exports `main`, not `kernel`.
(module
  (import "env" "memory" (memory 0))
  (func (export "main") (param i32 i32 i32 i32 i32)))

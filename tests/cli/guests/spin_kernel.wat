;; A wasi-parallel kernel that never finishes.
(module
  (import "env" "memory" (memory 0))
  (func (export "kernel") (param $i i32) (param $n i32) (param $block i32)
    (loop $l (br $l))))

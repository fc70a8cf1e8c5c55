;; Issue 14: inputs on which wabt 1.0.32 asserts must give errors, not stop the process.

;; A data segment naming a second memory (wabt's binary writer asserted on it while multi-memory
;; was off): valid now, and its byte lands in memory 1.
(module
  (memory 1) (memory 1) (data (memory 1) (i32.const 0) "x")
  (func (export "m1") (result i32) (i32.load8_u 1 (i32.const 0))))
(assert_return (invoke "m1") (i32.const 120))

;; A quoted module outside assert_malformed (wabt's script parser aborts on it).
(module $Q quote
  "(func (export \"f\") (param i32) (result i32)"
  "  local.get 0 i32.const 1 i32.add)"
  ";; a comment \u{41} (; nested ;)")
(assert_return (invoke $Q "f" (i32.const 41)) (i32.const 42))
(module quote)
(module quote "(memory 1) (func (export \"g\") (result i32) (i32.load8_u (i32.const 0)))"
  "(data (i32.const 0) \"\\2a\")")
(assert_return (invoke "g") (i32.const 42))
(assert_return (invoke $Q "f" (i32.const 1)) (i32.const 2))

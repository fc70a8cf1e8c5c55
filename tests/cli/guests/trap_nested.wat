;; A trap two calls deep: its message names the function it happened in, whichever way the code
;; was compiled (lazily compiled bodies are linked after the module, away from its stubs).
(module
  (func $one (result i32) (i32.const 1))
  (func $divide (param i32) (result i32) (i32.div_u (i32.const 7) (local.get 0)))
  (func $middle (result i32) (call $divide (i32.const 0)))
  (func (export "run") (result i32) (i32.add (call $one) (call $middle))))

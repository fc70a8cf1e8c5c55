;; Stands in for the docs' placeholder `lib.wat` / `lib.wasm` (tests/docs/doc_commands.py).
(module
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1))))

;; Stands in for the docs' placeholder `spin.wasm` (tests/docs/doc_commands.py): a WASI command
;; whose _start calls a function that never returns.
(module
  (func $spin (loop $forever (br $forever)))
  (func (export "_start") (call $spin)))

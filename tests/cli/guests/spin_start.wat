;; A command whose _start never returns: only an interrupt (or fuel) stops it.
(module
  (memory (export "memory") 1)
  (func $spin (loop $l (br $l)))
  (func (export "_start") (call $spin)))

;; Issue 12: instances that write their functions into a table they imported live as long as the
;; script's linker, and are freed with it. Run under valgrind (wast.valgrind.imported_table_writers),
;; where a reference cycle between such an instance and the table once showed as a leak. No
;; memory traps here: valgrind counts guard-page faults as errors.
(module $owner
  (type $r (func (result i32)))
  (table (export "tab") 4 funcref)
  (func (export "call") (param i32) (result i32) (call_indirect (type $r) (local.get 0)))
  (func (export "is-null") (param i32) (result i32) (ref.is_null (table.get 0 (local.get 0))))
)
(register "owner" $owner)

;; A writer that instantiates: its function stays callable after the next module replaces it.
(module
  (import "owner" "tab" (table 4 funcref))
  (func $seven (result i32) (i32.const 7))
  (elem (i32.const 1) $seven))
(module (func))
(assert_return (invoke $owner "call" (i32.const 1)) (i32.const 7))

;; A writer that fails after its first segment: the written function stays, as the spec says.
(assert_trap
  (module
    (import "owner" "tab" (table 4 funcref))
    (func $nine (result i32) (i32.const 9))
    (elem (i32.const 2) $nine)
    (elem (i32.const 3) $nine $nine))
  "out of bounds table access")
(assert_return (invoke $owner "call" (i32.const 2)) (i32.const 9))
(assert_return (invoke $owner "is-null" (i32.const 3)) (i32.const 1))
(assert_trap (invoke $owner "call" (i32.const 3)) "uninitialized element")

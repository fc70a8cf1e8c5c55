;; Each thread runs in its own instance of the module, started as instantiation leaves it: the
;; main thread's change of a mutable global and of a table entry are not seen by the thread.
;; run() returns what the thread saw: the global (5), and the result of calling table slot 0 (1).
(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (memory 1 1 shared)
  (global $g (mut i32) (i32.const 5))
  (table 1 funcref)
  (elem (i32.const 0) $one)
  (elem declare func $two)
  (type $t (func (result i32)))
  (func $one (result i32) (i32.const 1))
  (func $two (result i32) (i32.const 2))
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (i32.store (i32.const 8) (global.get $g))
    (i32.store (i32.const 12) (call_indirect (type $t) (i32.const 0)))
    (global.set $g (i32.const 99))
    (i32.atomic.store (i32.const 0) (i32.const 1))
    (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))
  (func (export "run") (result i32 i32 i32)
    (global.set $g (i32.const 100))
    (table.set 0 (i32.const 0) (ref.func $two))
    (if (i32.le_s (call $spawn (i32.const 0)) (i32.const 0)) (then unreachable))
    (block $done
      (loop $wait
        (br_if $done (i32.atomic.load (i32.const 0)))
        (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
        (br $wait)))
    (i32.load (i32.const 8))
    (i32.load (i32.const 12))
    (global.get $g)))

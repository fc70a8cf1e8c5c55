;; Memory64 (issue 14): 64-bit memories take i64 addresses and count pages in i64. No guard
;; region covers a 64-bit index, so every access is checked: addresses at and above 4 GiB, and
;; address + offset sums that pass 2^64, trap.

(module
  (memory $m i64 1 4)
  (data (i64.const 8) "\01\02\03\04\05\06\07\08")
  (data $p "\aa\bb\cc")

  (func (export "load8") (param i64) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load32") (param i64) (result i32) (i32.load (local.get 0)))
  (func (export "load64") (param i64) (result i64) (i64.load (local.get 0)))
  (func (export "load64_off") (param i64) (result i64) (i64.load offset=8 (local.get 0)))
  ;; (wabt 1.0.32's text parser takes offsets up to 2^32 - 1 only.)
  (func (export "load8_maxoff") (param i64) (result i32)
    (i32.load8_u offset=0xffffffff (local.get 0)))
  (func (export "load64_maxoff") (param i64) (result i64)
    (i64.load offset=0xffffffff (local.get 0)))
  (func (export "store8") (param i64 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "store64") (param i64 i64) (i64.store (local.get 0) (local.get 1)))
  (func (export "f64_roundtrip") (param i64 f64) (result f64)
    (f64.store (local.get 0) (local.get 1)) (f64.load (local.get 0)))
  (func (export "v128_load") (param i64) (result i64)
    (i64x2.extract_lane 0 (v128.load (local.get 0))))
  (func (export "v128_store_lane") (param i64)
    (v128.store64_lane 1 (local.get 0) (v128.const i64x2 0 0x1122334455667788)))

  (func (export "size") (result i64) (memory.size))
  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))

  (func (export "fill") (param i64 i32 i64) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i64 i64 i64) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i64 i32 i32) (memory.init $p (local.get 0) (local.get 1) (local.get 2)))

  (func (export "atomic_add") (param i64 i32) (result i32)
    (i32.atomic.rmw.add (local.get 0) (local.get 1)))
  (func (export "atomic_load64") (param i64) (result i64) (i64.atomic.load (local.get 0)))
  (func (export "cmpxchg") (param i64 i64 i64) (result i64)
    (i64.atomic.rmw.cmpxchg (local.get 0) (local.get 1) (local.get 2)))
  (func (export "notify") (param i64) (result i32)
    (memory.atomic.notify (local.get 0) (i32.const 1)))
  (func (export "notify_off") (param i64) (result i32)
    (memory.atomic.notify offset=0xfffffffc (local.get 0) (i32.const 1)))
)

;; Data segments at i64 offsets; loads and stores with i64 addresses.
(assert_return (invoke "load8" (i64.const 8)) (i32.const 1))
(assert_return (invoke "load64" (i64.const 8)) (i64.const 0x0807060504030201))
(assert_return (invoke "load64_off" (i64.const 0)) (i64.const 0x0807060504030201))
(invoke "store8" (i64.const 65535) (i32.const 0x5a))
(assert_return (invoke "load8" (i64.const 65535)) (i32.const 0x5a))
(assert_return (invoke "f64_roundtrip" (i64.const 65528) (f64.const -1.5)) (f64.const -1.5))
(assert_return (invoke "v128_load" (i64.const 8)) (i64.const 0x0807060504030201))
(invoke "v128_store_lane" (i64.const 64))
(assert_return (invoke "load64" (i64.const 64)) (i64.const 0x1122334455667788))

;; Out of bounds: the last bytes, addresses at and above 4 GiB, sums that pass 2^64.
(assert_trap (invoke "load8" (i64.const 65536)) "out of bounds memory access")
(assert_trap (invoke "load32" (i64.const 65533)) "out of bounds memory access")
(assert_trap (invoke "load64" (i64.const 65529)) "out of bounds memory access")
(assert_trap (invoke "load64_off" (i64.const 65521)) "out of bounds memory access")
(assert_trap (invoke "load8" (i64.const 0x100000000)) "out of bounds memory access")
(assert_trap (invoke "load8" (i64.const 0x100000008)) "out of bounds memory access")
(assert_trap (invoke "store8" (i64.const 0x1_0000_0000) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "load8" (i64.const -1)) "out of bounds memory access")
(assert_trap (invoke "load64" (i64.const -8)) "out of bounds memory access")
(assert_trap (invoke "load64_off" (i64.const -8)) "out of bounds memory access")
(assert_trap (invoke "load8_maxoff" (i64.const 0)) "out of bounds memory access")
(assert_trap (invoke "load8_maxoff" (i64.const 0xffffffff00000000)) "out of bounds memory access")
(assert_trap (invoke "load8_maxoff" (i64.const 0xffffffff00000001)) "out of bounds memory access")
(assert_trap (invoke "load8_maxoff" (i64.const -1)) "out of bounds memory access")
(assert_trap (invoke "load64_maxoff" (i64.const 0xfffffffefffffff9)) "out of bounds memory access")
(assert_trap (invoke "load64_maxoff" (i64.const 0xffffffff00000000)) "out of bounds memory access")
(assert_trap (invoke "v128_load" (i64.const 65521)) "out of bounds memory access")
;; A store that traps writes nothing.
(assert_trap (invoke "store64" (i64.const 65530) (i64.const -1)) "out of bounds memory access")
(assert_return (invoke "load8" (i64.const 65530)) (i32.const 0))

;; memory.size and memory.grow in i64 pages, up to the declared maximum.
(assert_return (invoke "size") (i64.const 1))
(assert_return (invoke "grow" (i64.const 0)) (i64.const 1))
(assert_return (invoke "grow" (i64.const 2)) (i64.const 1))
(assert_return (invoke "size") (i64.const 3))
(assert_return (invoke "load8" (i64.const 196607)) (i32.const 0))
(assert_trap (invoke "load8" (i64.const 196608)) "out of bounds memory access")
(assert_return (invoke "grow" (i64.const 2)) (i64.const -1))
(assert_return (invoke "grow" (i64.const 0x1_0000_0000)) (i64.const -1))
(assert_return (invoke "grow" (i64.const -1)) (i64.const -1))
(assert_return (invoke "grow" (i64.const 1)) (i64.const 3))
(assert_return (invoke "size") (i64.const 4))

;; Bulk operations with i64 addresses and lengths.
(invoke "fill" (i64.const 1000) (i32.const 0x77) (i64.const 3))
(assert_return (invoke "load8" (i64.const 1002)) (i32.const 0x77))
(assert_return (invoke "load8" (i64.const 1003)) (i32.const 0))
(invoke "fill" (i64.const 262144) (i32.const 1) (i64.const 0))
(assert_trap (invoke "fill" (i64.const 262145) (i32.const 1) (i64.const 0))
  "out of bounds memory access")
(assert_trap (invoke "fill" (i64.const 262143) (i32.const 1) (i64.const 2))
  "out of bounds memory access")
(assert_trap (invoke "fill" (i64.const 0x100000000) (i32.const 1) (i64.const 1))
  "out of bounds memory access")
(assert_trap (invoke "fill" (i64.const 16) (i32.const 1) (i64.const -1))
  "out of bounds memory access")
(assert_trap (invoke "fill" (i64.const -1) (i32.const 1) (i64.const 2))
  "out of bounds memory access")
(invoke "copy" (i64.const 2000) (i64.const 8) (i64.const 8))
(assert_return (invoke "load64" (i64.const 2000)) (i64.const 0x0807060504030201))
(invoke "copy" (i64.const 2001) (i64.const 2000) (i64.const 8))
(assert_return (invoke "load64" (i64.const 2001)) (i64.const 0x0807060504030201))
(assert_trap (invoke "copy" (i64.const 0) (i64.const -8) (i64.const 16))
  "out of bounds memory access")
(assert_trap (invoke "copy" (i64.const 0x100000000) (i64.const 0) (i64.const 1))
  "out of bounds memory access")
(invoke "init" (i64.const 3000) (i32.const 1) (i32.const 2))
(assert_return (invoke "load8" (i64.const 3000)) (i32.const 0xbb))
(assert_return (invoke "load8" (i64.const 3001)) (i32.const 0xcc))
(assert_trap (invoke "init" (i64.const 0x100000000) (i32.const 0) (i32.const 1))
  "out of bounds memory access")
(assert_trap (invoke "init" (i64.const -1) (i32.const 0) (i32.const 1))
  "out of bounds memory access")
(assert_trap (invoke "init" (i64.const 262143) (i32.const 0) (i32.const 2))
  "out of bounds memory access")

;; Atomics on a 64-bit memory: alignment first, then bounds.
(assert_return (invoke "atomic_add" (i64.const 4000) (i32.const 5)) (i32.const 0))
(assert_return (invoke "atomic_add" (i64.const 4000) (i32.const 5)) (i32.const 5))
(assert_return (invoke "cmpxchg" (i64.const 4000) (i64.const 10) (i64.const 42)) (i64.const 10))
(assert_return (invoke "atomic_load64" (i64.const 4000)) (i64.const 42))
(assert_trap (invoke "atomic_add" (i64.const 4001) (i32.const 1)) "unaligned atomic")
(assert_trap (invoke "atomic_add" (i64.const 0x100000000) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "atomic_load64" (i64.const -8)) "out of bounds memory access")
(assert_return (invoke "notify" (i64.const 4000)) (i32.const 0))
(assert_trap (invoke "notify" (i64.const 0x100000000)) "out of bounds memory access")
(assert_trap (invoke "notify" (i64.const 2)) "unaligned atomic")
(assert_trap (invoke "notify_off" (i64.const 0xffffffff00000004)) "out of bounds memory access")
(assert_trap (invoke "notify_off" (i64.const 8)) "out of bounds memory access")

;; A shared 64-bit memory: wait and notify.
(module
  (memory i64 1 1 shared)
  (func (export "wait") (param i64 i32) (result i32)
    (memory.atomic.wait32 (local.get 0) (local.get 1) (i64.const 0)))
  (func (export "notify") (param i64) (result i32)
    (memory.atomic.notify (local.get 0) (i32.const 1))))
(assert_return (invoke "wait" (i64.const 0) (i32.const 1)) (i32.const 1))
(assert_return (invoke "wait" (i64.const 0) (i32.const 0)) (i32.const 2))
(assert_return (invoke "notify" (i64.const 0)) (i32.const 0))
(assert_trap (invoke "wait" (i64.const 65536) (i32.const 0)) "out of bounds memory access")

;; A 64-bit and a 32-bit memory side by side, copying between them.
(module
  (memory $w i64 1)
  (memory $n 1)
  (data (memory $n) (i32.const 0) "\2a")
  (func (export "n_to_w") (param i64 i32 i32) (memory.copy $w $n (local.get 0) (local.get 1) (local.get 2)))
  (func (export "w") (param i64) (result i32) (i32.load8_u $w (local.get 0)))
  (func (export "n") (param i32) (result i32) (i32.load8_u $n (local.get 0)))
  (func (export "size_w") (result i64) (memory.size $w))
  (func (export "size_n") (result i32) (memory.size $n)))
(invoke "n_to_w" (i64.const 100) (i32.const 0) (i32.const 1))
(assert_return (invoke "w" (i64.const 100)) (i32.const 0x2a))
(assert_return (invoke "size_w") (i64.const 1))
(assert_return (invoke "size_n") (i32.const 1))
(assert_trap (invoke "n_to_w" (i64.const 65536) (i32.const 0) (i32.const 1))
  "out of bounds memory access")

;; Exported and imported 64-bit memories; the index type is part of the import's type.
(module $M64 (memory (export "mem") i64 1) (data (i64.const 0) "\07"))
(register "M64" $M64)
(module
  (import "M64" "mem" (memory i64 1))
  (func (export "get") (result i32) (i32.load8_u (i64.const 0))))
(assert_return (invoke "get") (i32.const 7))
(assert_unlinkable
  (module (import "M64" "mem" (memory 1)))
  "incompatible import type")

;; A data segment past the end of a 64-bit memory fails instantiation.
(assert_trap
  (module (memory i64 1) (data (i64.const 65536) "x"))
  "out of bounds memory access")
(assert_trap
  (module (memory i64 1) (data (i64.const -1) "x"))
  "out of bounds memory access")

;; Validation: addresses of a 64-bit memory are i64, and its limits are counted to 2^48 pages.
(assert_invalid
  (module (memory i64 1) (func (drop (i32.load (i32.const 0)))))
  "type mismatch")
(assert_invalid
  (module (memory 1) (func (drop (i32.load (i64.const 0)))))
  "type mismatch")
(assert_invalid
  (module (memory i64 1) (func (drop (memory.grow (i32.const 1)))))
  "type mismatch")
(assert_invalid
  (module (memory i64 1) (func (result i32) (memory.size)))
  "type mismatch")
(assert_invalid
  (module (memory i64 1) (data (i32.const 0) ""))
  "type mismatch")
(assert_invalid
  (module (memory i64 1) (func (memory.fill (i64.const 0) (i32.const 0) (i32.const 1))))
  "type mismatch")
(assert_invalid
  (module (memory i64 0x1_0000_0000_0001))
  "memory size must be at most")

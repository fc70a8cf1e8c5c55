"""Generates one of the .wast files in tests/wast (run tests/wast/gen/regen.sh)."""
import os
import sys

WAST_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = []; w = out.append
w(";; Atomic memory operations on a shared memory, exercised by one thread: loads, stores,")
w(";; read-modify-write operators of every width (returning the old value, zero-extended),")
w(";; cmpxchg, alignment traps, bounds traps, notify, wait results and fences.")
w("")
w("(module")
w("  (memory 1 1 shared)")
ops = []
widths = [("i32", "", 4, 32), ("i32", "8", 1, 8), ("i32", "16", 2, 16),
          ("i64", "", 8, 64), ("i64", "8", 1, 8), ("i64", "16", 2, 16), ("i64", "32", 4, 32)]
for T, n, size, bits in widths:
    suf = f"{n}_u" if n else ""
    ld = f"{T}.atomic.load{suf}"
    st = f"{T}.atomic.store{n}"
    w(f'  (func (export "{ld}") (param i32) (result {T}) ({ld} (local.get 0)))')
    w(f'  (func (export "{st}") (param i32 {T}) ({st} (local.get 0) (local.get 1)))')
    for op in ["add", "sub", "and", "or", "xor", "xchg"]:
        name = f"{T}.atomic.rmw{n}.{op}{'_u' if n else ''}"
        w(f'  (func (export "{name}") (param i32 {T}) (result {T}) ({name} (local.get 0) (local.get 1)))')
    name = f"{T}.atomic.rmw{n}.cmpxchg{'_u' if n else ''}"
    w(f'  (func (export "{name}") (param i32 {T} {T}) (result {T}) ({name} (local.get 0) (local.get 1) (local.get 2)))')
w('  (func (export "i64.load") (param i32) (result i64) (i64.load (local.get 0)))')
w('  (func (export "i64.store") (param i32 i64) (i64.store (local.get 0) (local.get 1)))')
w('  (func (export "notify") (param i32 i32) (result i32) (memory.atomic.notify (local.get 0) (local.get 1)))')
w('  (func (export "wait32") (param i32 i32 i64) (result i32) (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))')
w('  (func (export "wait64") (param i32 i64 i64) (result i32) (memory.atomic.wait64 (local.get 0) (local.get 1) (local.get 2)))')
w('  (func (export "offset-load") (param i32) (result i32) (i32.atomic.load offset=4 (local.get 0)))')
w(")")
w("")
mem = bytearray(65536)
def rd(a, size): return int.from_bytes(mem[a:a+size], "little")
def wr(a, size, v): mem[a:a+size] = (v & ((1 << 8*size) - 1)).to_bytes(size, "little")
def h(v, T):
    bits = int(T[1:]); return hex(v & ((1 << bits) - 1))
def AR(call, res=None):
    w(f"(assert_return {call}{' ' + res if res else ''})")
ADDR = 64
seed = 0x0123456789abcdef
for T, n, size, bits in widths:
    suf = f"{n}_u" if n else ""
    ld = f"{T}.atomic.load{suf}"; st = f"{T}.atomic.store{n}"
    M = (1 << bits) - 1
    a = ADDR
    # full-width plain store of a pattern, then atomic loads see the low bytes
    AR(f'(invoke "i64.store" (i32.const {a}) (i64.const 0x{seed:016x}))'); wr(a, 8, seed)
    AR(f'(invoke "{ld}" (i32.const {a}))', f"({T}.const {h(rd(a, size), T)})")
    AR(f'(invoke "{st}" (i32.const {a}) ({T}.const 0xfedcba9876543210))' if T == "i64" else f'(invoke "{st}" (i32.const {a}) ({T}.const 0xfedcba98))')
    wr(a, size, 0xfedcba9876543210 if T == "i64" else 0xfedcba98)
    AR(f'(invoke "i64.load" (i32.const {a}))', f"(i64.const {h(rd(a, 8), 'i64')})")
    for op, arg in [("add", 0x0f0f0f0f0f0f0f0f), ("sub", 0x1111111111111111), ("and", 0xf0f0f0f0f0f0f0f0), ("or", 0x0101010101010101),
                    ("xor", 0xffffffffffffffff), ("xchg", 0x8899aabbccddeeff), ("add", 0xffffffffffffffff)]:
        name = f"{T}.atomic.rmw{n}.{op}{'_u' if n else ''}"
        old = rd(a, size)
        x = arg & ((1 << int(T[1:])) - 1)
        xs = x & M
        new = {"add": old + xs, "sub": old - xs, "and": old & xs, "or": old | xs, "xor": old ^ xs, "xchg": xs}[op] & M
        AR(f'(invoke "{name}" (i32.const {a}) ({T}.const {h(x, T)}))', f"({T}.const {h(old, T)})")
        wr(a, size, new)
        AR(f'(invoke "i64.load" (i32.const {a}))', f"(i64.const {h(rd(a, 8), 'i64')})")
    name = f"{T}.atomic.rmw{n}.cmpxchg{'_u' if n else ''}"
    cur = rd(a, size)
    # failing compare: memory unchanged
    AR(f'(invoke "{name}" (i32.const {a}) ({T}.const {h(cur ^ 1, T)}) ({T}.const 0x77))', f"({T}.const {h(cur, T)})")
    AR(f'(invoke "i64.load" (i32.const {a}))', f"(i64.const {h(rd(a, 8), 'i64')})")
    # succeeding compare
    AR(f'(invoke "{name}" (i32.const {a}) ({T}.const {h(cur, T)}) ({T}.const {h(0x1234567890, T)}))', f"({T}.const {h(cur, T)})")
    wr(a, size, 0x1234567890 & ((1 << int(T[1:])) - 1) & M)
    AR(f'(invoke "i64.load" (i32.const {a}))', f"(i64.const {h(rd(a, 8), 'i64')})")
    if n:
        # the expected value is compared after wrapping to the access width
        cur = rd(a, size)
        exp_wide = cur | (1 << bits) if int(T[1:]) > bits else cur
        AR(f'(invoke "{name}" (i32.const {a}) ({T}.const {h(exp_wide, T)}) ({T}.const 0x5))', f"({T}.const {h(cur, T)})")
        wr(a, size, 5)
        AR(f'(invoke "i64.load" (i32.const {a}))', f"(i64.const {h(rd(a, 8), 'i64')})")
    # alignment and bounds
    if size > 1:
        w(f'(assert_trap (invoke "{ld}" (i32.const {a + 1})) "unaligned atomic")')
        w(f'(assert_trap (invoke "{st}" (i32.const {a + size // 2}) ({T}.const 0)) "unaligned atomic")')
        nm = f"{T}.atomic.rmw{n}.add{'_u' if n else ''}"
        w(f'(assert_trap (invoke "{nm}" (i32.const {a + size - 1}) ({T}.const 0)) "unaligned atomic")')
        w(f'(assert_trap (invoke "{name}" (i32.const {a + 1}) ({T}.const 0) ({T}.const 0)) "unaligned atomic")')
    AR(f'(invoke "{ld}" (i32.const {65536 - size}))', f"({T}.const 0)")
    w(f'(assert_trap (invoke "{ld}" (i32.const 65536)) "out of bounds memory access")')
    w(f'(assert_trap (invoke "{st}" (i32.const {65536 - size + size if size > 1 else 65536}) ({T}.const 0)) "out of bounds memory access")')
    nm = f"{T}.atomic.rmw{n}.xchg{'_u' if n else ''}"
    w(f'(assert_trap (invoke "{nm}" (i32.const -{size}) ({T}.const 0)) "out of bounds memory access")')
    w("")
    ADDR += 16
w('(assert_return (invoke "offset-load" (i32.const 60)) (i32.const ' + h(rd(64, 4), "i32") + '))')
w('(assert_trap (invoke "offset-load" (i32.const 61)) "unaligned atomic")')
w('(assert_trap (invoke "offset-load" (i32.const 65532)) "out of bounds memory access")')
w("")
w(";; (notify and wait results and atomic.fence are checked in extra/atomic_wait_notify.wast: wabt's interpreter")
w(";; does not implement them.) Misaligned and out-of-bounds notify/wait addresses trap.")
w('(assert_trap (invoke "notify" (i32.const 2) (i32.const 1)) "unaligned atomic")')
w('(assert_trap (invoke "notify" (i32.const 65536) (i32.const 1)) "out of bounds memory access")')
w('(assert_trap (invoke "wait32" (i32.const 1) (i32.const 0) (i64.const 0)) "unaligned atomic")')
w('(assert_trap (invoke "wait64" (i32.const 4) (i64.const 0) (i64.const 0)) "unaligned atomic")')
w('(assert_trap (invoke "wait32" (i32.const 65536) (i32.const 0) (i64.const 0)) "out of bounds memory access")')
w("")
w(";; On an unshared memory atomic accesses work and wait traps.")
w("(module")
w("  (memory 1)")
w('  (func (export "rmw") (param i32 i32) (result i32) (i32.atomic.rmw.add (local.get 0) (local.get 1)))')
w('  (func (export "load") (param i32) (result i32) (i32.atomic.load (local.get 0)))')
w('  (func (export "notify") (param i32 i32) (result i32) (memory.atomic.notify (local.get 0) (local.get 1)))')
w('  (func (export "wait32") (param i32 i32 i64) (result i32) (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))')
w('  (func (export "wait64") (param i32 i64 i64) (result i32) (memory.atomic.wait64 (local.get 0) (local.get 1) (local.get 2)))')
w(")")
w('(assert_return (invoke "rmw" (i32.const 16) (i32.const 3)) (i32.const 0))')
w('(assert_return (invoke "rmw" (i32.const 16) (i32.const 4)) (i32.const 3))')
w('(assert_return (invoke "load" (i32.const 16)) (i32.const 7))')
w('(assert_trap (invoke "load" (i32.const 17)) "unaligned atomic")')
w('(assert_trap (invoke "wait32" (i32.const 16) (i32.const 7) (i64.const 0)) "expected shared memory")')
w('(assert_trap (invoke "wait32" (i32.const 16) (i32.const 0) (i64.const 0)) "expected shared memory")')
w('(assert_trap (invoke "wait64" (i32.const 16) (i64.const 0) (i64.const 0)) "expected shared memory")')
w("")
w(";; Shared memories are exported and imported as shared.")
w("(module $sh (memory (export \"m\") 1 2 shared) (func (export \"grow\") (result i32) (memory.grow (i32.const 1))))")
w('(register "sh" $sh)')
w("(module")
w('  (import "sh" "m" (memory 1 2 shared))')
w('  (func (export "store") (param i32 i32) (i32.atomic.store (local.get 0) (local.get 1)))')
w('  (func (export "load") (param i32) (result i32) (i32.atomic.load (local.get 0)))')
w('  (func (export "size") (result i32) (memory.size))')
w(")")
w('(assert_return (invoke "store" (i32.const 0) (i32.const 99)))')
w('(assert_return (invoke "load" (i32.const 0)) (i32.const 99))')
w('(assert_return (invoke $sh "grow") (i32.const 1))')
w('(assert_return (invoke "size") (i32.const 2))')
w('(assert_return (invoke "store" (i32.const 65536) (i32.const 1)))')
w('(assert_return (invoke $sh "grow") (i32.const -1))')
w('(assert_unlinkable (module (import "sh" "m" (memory 1 1 shared))) "incompatible import type")')
w("")
w(";; Validation of atomic operators.")
w('(assert_invalid (module (memory 1 1 shared) (func (drop (i32.atomic.load align=1 (i32.const 0))))) "alignment must be equal to natural")')
w('(assert_invalid (module (memory 1 1 shared) (func (drop (i64.atomic.load32_u align=8 (i32.const 0))))) "alignment must be equal to natural")')
w('(assert_invalid (module (memory 1 1 shared) (func (drop (i32.atomic.rmw.add (i32.const 0) (i64.const 0))))) "type mismatch")')
w('(assert_invalid (module (memory 1 1 shared) (func (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i32.const 0))))) "type mismatch")')
w('(assert_invalid (module (func (drop (memory.atomic.notify (i32.const 0) (i32.const 0))))) "unknown memory")')
open(os.path.join(WAST_DIR, "atomics.wast"), "w").write("\n".join(out) + "\n")

"""Generates one of the .wast files in tests/wast (run tests/wast/gen/regen.sh)."""
import os
import sys

WAST_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
import struct, sys
out = []; w = out.append
PAGE = 65536
mem = bytearray(PAGE)
init = bytes([0x01,0x02,0x03,0x04,0x05,0x06,0x07,0x08,0x80,0x81,0xfe,0xff,0x7f,0x00,0x00,0x80,
              0x00,0x00,0xc0,0x7f,0x18,0x2d,0x44,0x54,0xfb,0x21,0x09,0x40])
mem[0:len(init)] = init
tail = bytes([0xaa,0xbb,0xcc,0xdd,0xee,0xff,0x11,0x22])
mem[PAGE-8:] = tail
def esc(b): return "".join("\\%02x" % x for x in b)

loads = {  # name: (type, size, signed)
 "i32.load": ("i32", 4, None), "i32.load8_s": ("i32", 1, True), "i32.load8_u": ("i32", 1, False),
 "i32.load16_s": ("i32", 2, True), "i32.load16_u": ("i32", 2, False),
 "i64.load": ("i64", 8, None), "i64.load8_s": ("i64", 1, True), "i64.load8_u": ("i64", 1, False),
 "i64.load16_s": ("i64", 2, True), "i64.load16_u": ("i64", 2, False),
 "i64.load32_s": ("i64", 4, True), "i64.load32_u": ("i64", 4, False),
 "f32.load": ("f32", 4, None), "f64.load": ("f64", 8, None)}
stores = {"i32.store": ("i32", 4), "i32.store8": ("i32", 1), "i32.store16": ("i32", 2),
          "i64.store": ("i64", 8), "i64.store8": ("i64", 1), "i64.store16": ("i64", 2), "i64.store32": ("i64", 4),
          "f32.store": ("f32", 4), "f64.store": ("f64", 8)}

def ival(T, n):
    bits = int(T[1:]); n &= (1 << bits) - 1
    return hex(n)
def fval(T, raw):
    if T == "f32":
        b = struct.unpack("<I", raw)[0]
        if (b & 0x7f800000) == 0x7f800000 and b & 0x7fffff:
            return ("-" if b >> 31 else "") + "nan:" + hex(b & 0x7fffff)
        v = struct.unpack("<f", raw)[0]
    else:
        b = struct.unpack("<Q", raw)[0]
        if (b & 0x7ff0000000000000) == 0x7ff0000000000000 and b & 0xfffffffffffff:
            return ("-" if b >> 63 else "") + "nan:" + hex(b & 0xfffffffffffff)
        v = struct.unpack("<d", raw)[0]
    if v == float("inf"): return "inf"
    if v == float("-inf"): return "-inf"
    return v.hex()

def load_result(name, addr):
    T, size, signed = loads[name]
    raw = bytes(mem[addr:addr+size])
    if T[0] == "f": return f"({T}.const {fval(T, raw)})"
    n = int.from_bytes(raw, "little", signed=bool(signed))
    return f"({T}.const {ival(T, n)})"

w(";; Loads and stores of every width and signedness, static offsets, unaligned accesses,")
w(";; accesses at the exact end of memory, memory.size and memory.grow.")
w("")
w("(module")
w("  (memory $m 1 4)")
w(f'  (data (i32.const 0) "{esc(init)}")')
w(f'  (data (i32.const {PAGE-8}) "{esc(tail)}")')
for name, (T, size, s) in loads.items():
    w(f'  (func (export "{name}") (param $a i32) (result {T}) ({name} (local.get $a)))')
    w(f'  (func (export "{name} off4") (param $a i32) (result {T}) ({name} offset=4 (local.get $a)))')
    w(f'  (func (export "{name} align1") (param $a i32) (result {T}) ({name} align=1 (local.get $a)))')
for name, (T, size) in stores.items():
    w(f'  (func (export "{name}") (param $a i32) (param $v {T}) ({name} (local.get $a) (local.get $v)))')
    w(f'  (func (export "{name} off8") (param $a i32) (param $v {T}) ({name} offset=8 (local.get $a) (local.get $v)))')
w('  (func (export "i32.load max-offset") (param $a i32) (result i32) (i32.load offset=0xffffffff (local.get $a)))')
w('  (func (export "i32.load8_u big-offset") (param $a i32) (result i32) (i32.load8_u offset=65535 (local.get $a)))')
w('  (func (export "i64.load big-offset") (param $a i32) (result i64) (i64.load offset=65528 (local.get $a)))')
w('  (func (export "size") (result i32) (memory.size))')
w('  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))')
w(")")
w("")
n = 0
def ar(call, res):
    global n; n += 1
    w(f"(assert_return {call} {res})")
def at(call):
    global n; n += 1
    w(f'(assert_trap {call} "out of bounds memory access")')

# loads of the initial data at several alignments
for name, (T, size, s) in loads.items():
    for addr in [0, 1, 3, 8, 10, 12, 16, 20]:
        ar(f'(invoke "{name}" (i32.const {addr}))', load_result(name, addr))
    ar(f'(invoke "{name} off4" (i32.const 4))', load_result(name, 8))
    ar(f'(invoke "{name} align1" (i32.const 5))', load_result(name, 5))
    # the last in-bounds address and the first out-of-bounds one
    ar(f'(invoke "{name}" (i32.const {PAGE - size}))', load_result(name, PAGE - size))
    at(f'(invoke "{name}" (i32.const {PAGE - size + 1}))')
    at(f'(invoke "{name}" (i32.const {PAGE}))')
    at(f'(invoke "{name}" (i32.const -1))')
    at(f'(invoke "{name}" (i32.const {-size}))')
    ar(f'(invoke "{name} off4" (i32.const {PAGE - size - 4}))', load_result(name, PAGE - size))
    at(f'(invoke "{name} off4" (i32.const {PAGE - size - 3}))')
    at(f'(invoke "{name} off4" (i32.const -4))')
    w("")
ar('(invoke "i32.load8_u big-offset" (i32.const 0))', load_result("i32.load8_u", PAGE - 1))
at('(invoke "i32.load8_u big-offset" (i32.const 1))')
ar('(invoke "i64.load big-offset" (i32.const 0))', load_result("i64.load", PAGE - 8))
at('(invoke "i64.load big-offset" (i32.const 1))')
at('(invoke "i32.load max-offset" (i32.const 0))')
at('(invoke "i32.load max-offset" (i32.const 1))')
at('(invoke "i32.load max-offset" (i32.const -1))')
w("")

# stores followed by loads
def tconst(T, v):
    return f"({T}.const {v})"
store_vals = {"i32": ["0x12345678", "-1", "0x80"], "i64": ["0x0123456789abcdef", "-2", "0x8000000000000000"],
              "f32": ["-0x1.8p+1", "nan:0x200001", "-inf"], "f64": ["0x1.921fb54442d18p+1", "-nan:0x1", "-0x0p+0"]}
def enc(T, v, size):
    if T[0] == "i":
        n = int(v, 0) & ((1 << int(T[1:])) - 1)
        return (n & ((1 << (8 * size)) - 1)).to_bytes(size, "little")
    neg = v.startswith("-"); body = v.lstrip("-")
    if T == "f32":
        if body.startswith("nan:"): b = 0x7f800000 | int(body[4:], 16)
        elif body == "inf": b = 0x7f800000
        else: b = struct.unpack("<I", struct.pack("<f", float.fromhex(body)))[0]
        if neg: b |= 0x80000000
        return struct.pack("<I", b)
    if body.startswith("nan:"): b = 0x7ff0000000000000 | int(body[4:], 16)
    elif body == "inf": b = 0x7ff0000000000000
    else: b = struct.unpack("<Q", struct.pack("<d", float.fromhex(body)))[0]
    if neg: b |= 0x8000000000000000
    return struct.pack("<Q", b)

addr = 256
for name, (T, size) in stores.items():
    for v in store_vals[T]:
        for a, off in [(addr, 0), (addr + 3, 0), (addr + 16, 8)]:
            fn = name if off == 0 else f"{name} off8"
            ar(f'(invoke "{fn}" (i32.const {a}) {tconst(T, v)})', "")
            ea = a + off
            mem[ea:ea+size] = enc(T, v, size)
            # read back with the full-width load and with a byte load
            full = {"i32": "i32.load", "i64": "i64.load", "f32": "f32.load", "f64": "f64.load"}[T]
            ar(f'(invoke "{full}" (i32.const {ea}))', load_result(full, ea))
            ar(f'(invoke "i32.load8_u" (i32.const {ea + size - 1}))', load_result("i32.load8_u", ea + size - 1))
            ar(f'(invoke "i32.load8_u" (i32.const {ea + size}))', load_result("i32.load8_u", ea + size))
        addr += 32
    # boundary stores: the last in-bounds slot succeeds, one byte further traps and writes nothing
    v = store_vals[T][0]
    ar(f'(invoke "{name}" (i32.const {PAGE - size}) {tconst(T, v)})', "")
    mem[PAGE-size:PAGE] = enc(T, v, size)
    at(f'(invoke "{name}" (i32.const {PAGE - size + 1}) {tconst(T, store_vals[T][1])})')
    at(f'(invoke "{name} off8" (i32.const {PAGE - size - 7}) {tconst(T, store_vals[T][1])})')
    at(f'(invoke "{name}" (i32.const -1) {tconst(T, store_vals[T][1])})')
    ar(f'(invoke "i64.load" (i32.const {PAGE - 8}))', load_result("i64.load", PAGE - 8))
    w("")

# memory.size / memory.grow
ar('(invoke "size")', "(i32.const 1)")
ar('(invoke "grow" (i32.const 0))', "(i32.const 1)")
ar('(invoke "size")', "(i32.const 1)")
ar(f'(invoke "i32.load8_u" (i32.const {PAGE - 1}))', load_result("i32.load8_u", PAGE - 1))
at(f'(invoke "i32.load8_u" (i32.const {PAGE}))')
ar('(invoke "grow" (i32.const 1))', "(i32.const 1)")
ar('(invoke "size")', "(i32.const 2)")
mem.extend(bytes(PAGE))
ar(f'(invoke "i32.load8_u" (i32.const {PAGE}))', "(i32.const 0)")
ar(f'(invoke "i64.load" (i32.const {PAGE - 4}))', load_result("i64.load", PAGE - 4))
ar(f'(invoke "i32.load" (i32.const {2 * PAGE - 4}))', "(i32.const 0)")
at(f'(invoke "i32.load" (i32.const {2 * PAGE - 3}))')
ar(f'(invoke "i32.store" (i32.const {2 * PAGE - 4}) (i32.const 0xcafe))', "")
ar(f'(invoke "i32.load" (i32.const {2 * PAGE - 4}))', "(i32.const 0xcafe)")
ar('(invoke "grow" (i32.const 3))', "(i32.const -1)")
ar('(invoke "size")', "(i32.const 2)")
ar('(invoke "grow" (i32.const 2))', "(i32.const 2)")
ar('(invoke "size")', "(i32.const 4)")
ar('(invoke "grow" (i32.const 1))', "(i32.const -1)")
ar('(invoke "grow" (i32.const 0))', "(i32.const 4)")
ar('(invoke "grow" (i32.const -1))', "(i32.const -1)")
ar('(invoke "grow" (i32.const 0x10000))', "(i32.const -1)")
ar(f'(invoke "i32.load" (i32.const {4 * PAGE - 4}))', "(i32.const 0)")
at(f'(invoke "i32.load" (i32.const {4 * PAGE - 3}))')
ar(f'(invoke "i32.load" (i32.const {2 * PAGE - 4}))', "(i32.const 0xcafe)")
w("")

w(";; A memory with no pages: every access traps until it grows.")
w("(module")
w("  (memory 0)")
w('  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))')
w('  (func (export "store") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))')
w('  (func (export "size") (result i32) (memory.size))')
w('  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))')
w(")")
ar('(invoke "size")', "(i32.const 0)")
at('(invoke "load" (i32.const 0))')
at('(invoke "store" (i32.const 0) (i32.const 1))')
ar('(invoke "grow" (i32.const 0))', "(i32.const 0)")
at('(invoke "load" (i32.const 0))')
ar('(invoke "grow" (i32.const 1))', "(i32.const 0)")
ar('(invoke "size")', "(i32.const 1)")
ar('(invoke "load" (i32.const 0))', "(i32.const 0)")
ar('(invoke "store" (i32.const 65535) (i32.const 0x1ff))', "")
ar('(invoke "load" (i32.const 65535))', "(i32.const 0xff)")
at('(invoke "load" (i32.const 65536))')
ar('(invoke "grow" (i32.const 0x10001))', "(i32.const -1)")
ar('(invoke "size")', "(i32.const 1)")
w("")
w(";; A memory without a maximum grows until the implementation or 4 GiB limit; a grow past")
w(";; 65536 pages must fail.")
w("(module")
w("  (memory 1)")
w('  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))')
w('  (func (export "grow-then-store") (param i32) (result i32)')
w('    (drop (memory.grow (i32.const 1)))')
w('    (i32.store (i32.mul (memory.size) (i32.const 65536)) (local.get 0))')
w('    (i32.const 0))')
w(")")
ar('(invoke "grow" (i32.const 0x10000))', "(i32.const -1)")
ar('(invoke "grow" (i32.const 0xffffffff))', "(i32.const -1)")
ar('(invoke "grow" (i32.const 2))', "(i32.const 1)")
ar('(invoke "grow" (i32.const 0))', "(i32.const 3)")
at('(invoke "grow-then-store" (i32.const 5))')
w("")
w(";; Memory contents are little-endian; a value stored wide can be read back narrow.")
w("(module")
w("  (memory 1)")
w('  (func (export "i64-as-i32s") (param i64) (result i32 i32)')
w('    (i64.store (i32.const 0) (local.get 0))')
w('    (i32.load (i32.const 0)) (i32.load (i32.const 4)))')
w('  (func (export "i32s-as-i64") (param i32 i32) (result i64)')
w('    (i32.store (i32.const 8) (local.get 0)) (i32.store (i32.const 12) (local.get 1))')
w('    (i64.load (i32.const 8)))')
w('  (func (export "f32-bits") (param f32) (result i32)')
w('    (f32.store (i32.const 16) (local.get 0)) (i32.load (i32.const 16)))')
w('  (func (export "bytes-to-f64") (param i64) (result f64)')
w('    (i64.store (i32.const 24) (local.get 0)) (f64.load (i32.const 24)))')
w(")")
ar('(invoke "i64-as-i32s" (i64.const 0x1122334455667788))', "(i32.const 0x55667788) (i32.const 0x11223344)")
ar('(invoke "i32s-as-i64" (i32.const 0xdeadbeef) (i32.const 0x01020304))', "(i64.const 0x01020304deadbeef)")
ar('(invoke "f32-bits" (f32.const -1))', "(i32.const 0xbf800000)")
ar('(invoke "f32-bits" (f32.const nan:0x1))', "(i32.const 0x7f800001)")
ar('(invoke "bytes-to-f64" (i64.const 0x3ff0000000000000))', "(f64.const 1)")
ar('(invoke "bytes-to-f64" (i64.const 0xfff0000000000001))', "(f64.const -nan:0x1)")
open(sys.argv[1], "w").write("\n".join(out) + "\n")

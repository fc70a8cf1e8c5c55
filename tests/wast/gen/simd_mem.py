"""Generates one of the .wast files in tests/wast (run tests/wast/gen/regen.sh)."""
import os
import sys

WAST_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simdlib import *
import random
rng = random.Random(4242)
out = []; w = out.append
PAGE = 65536
mem = bytearray(PAGE)
init = bytes(rng.getrandbits(8) for _ in range(64))
mem[0:64] = init
tailb = bytes(rng.getrandbits(8) for _ in range(32))
mem[PAGE-32:] = tailb
def esc(b): return "".join("\\%02x" % x for x in b)
def AR(name, args, res=""):
    w(f'(assert_return (invoke "{name}" {" ".join(args)}){" " + res if res else ""})')
def AT(name, args):
    w(f'(assert_trap (invoke "{name}" {" ".join(args)}) "out of bounds memory access")')
def v8(b): return vconst("i8x16", list(b))
def I(v): return f"(i32.const {v})"

w(";; SIMD memory access: v128.load/store, extending loads, splat loads, zero-extending loads,")
w(";; lane loads and stores, with offsets, unaligned addresses and the end of memory.")
w("")
w("(module")
w("  (memory 1)")
w(f'  (data (i32.const 0) "{esc(init)}")')
w(f'  (data (i32.const {PAGE-32}) "{esc(tailb)}")')
w('  (func (export "v128.load") (param i32) (result v128) (v128.load (local.get 0)))')
w('  (func (export "v128.load off16") (param i32) (result v128) (v128.load offset=16 align=1 (local.get 0)))')
w('  (func (export "v128.store") (param i32 v128) (v128.store (local.get 0) (local.get 1)))')
w('  (func (export "v128.store off3") (param i32 v128) (v128.store offset=3 (local.get 0) (local.get 1)))')
ext = [("v128.load8x8_s", 1, True), ("v128.load8x8_u", 1, False), ("v128.load16x4_s", 2, True), ("v128.load16x4_u", 2, False),
       ("v128.load32x2_s", 4, True), ("v128.load32x2_u", 4, False)]
for nm, *_ in ext:
    w(f'  (func (export "{nm}") (param i32) (result v128) ({nm} (local.get 0)))')
spl = [("v128.load8_splat", 1), ("v128.load16_splat", 2), ("v128.load32_splat", 4), ("v128.load64_splat", 8)]
for nm, _ in spl:
    w(f'  (func (export "{nm}") (param i32) (result v128) ({nm} (local.get 0)))')
zer = [("v128.load32_zero", 4), ("v128.load64_zero", 8)]
for nm, _ in zer:
    w(f'  (func (export "{nm}") (param i32) (result v128) ({nm} (local.get 0)))')
lanes = [("8", 1, 16), ("16", 2, 8), ("32", 4, 4), ("64", 8, 2)]
lane_fns = []
for sz, k, n in lanes:
    for lane in sorted({0, n // 2 - 1 if n > 2 else 0, n - 1}):
        w(f'  (func (export "v128.load{sz}_lane {lane}") (param i32 v128) (result v128) (v128.load{sz}_lane {lane} (local.get 0) (local.get 1)))')
        w(f'  (func (export "v128.store{sz}_lane {lane}") (param i32 v128) (v128.store{sz}_lane {lane} (local.get 0) (local.get 1)))')
        lane_fns.append((sz, k, n, lane))
    w(f'  (func (export "v128.load{sz}_lane off {n-1}") (param i32 v128) (result v128) (v128.load{sz}_lane offset=1 align=1 {n-1} (local.get 0) (local.get 1)))')
w(")")
w("")
def V(b): return v8(b)
for a in [0, 1, 7, 16, 48, PAGE - 16]:
    AR("v128.load", [I(a)], V(mem[a:a+16]))
for a in [PAGE - 15, PAGE - 1, PAGE, -1, -16]:
    AT("v128.load", [I(a)])
AR("v128.load off16", [I(PAGE - 32)], V(mem[PAGE-16:PAGE]))
AT("v128.load off16", [I(PAGE - 31)])
AT("v128.load off16", [I(-16)])
w("")
for nm, k, sg in ext:
    shape = {1: "i16x8", 2: "i32x4", 4: "i64x2"}[k]
    bits = k * 16
    for a in [0, 3, 24, PAGE - 8]:
        src = mem[a:a+8]
        L = [int.from_bytes(src[i*k:(i+1)*k], "little", signed=sg) for i in range(8 // k)]
        AR(nm, [I(a)], vconst(shape, [ux(x, bits) for x in L]))
    AT(nm, [I(PAGE - 7)])
    AT(nm, [I(-1)])
w("")
for nm, k in spl:
    for a in [0, 5, PAGE - k]:
        chunk = mem[a:a+k]
        AR(nm, [I(a)], V(bytes(chunk) * (16 // k)))
    AT(nm, [I(PAGE - k + 1)])
for nm, k in zer:
    for a in [0, 9, PAGE - k]:
        AR(nm, [I(a)], V(bytes(mem[a:a+k]) + bytes(16 - k)))
    AT(nm, [I(PAGE - k + 1)])
w("")
for sz, k, n, lane in lane_fns:
    base = bytes(rng.getrandbits(8) for _ in range(16))
    for a in [2, 40, PAGE - k]:
        r = bytearray(base); r[lane*k:(lane+1)*k] = mem[a:a+k]
        AR(f"v128.load{sz}_lane {lane}", [I(a), V(base)], V(r))
    AT(f"v128.load{sz}_lane {lane}", [I(PAGE - k + 1), V(base)])
for sz, k, n in lanes:
    base = bytes(rng.getrandbits(8) for _ in range(16))
    r = bytearray(base); a = PAGE - k - 1; r[(n-1)*k:n*k] = mem[a+1:a+1+k]
    AR(f"v128.load{sz}_lane off {n-1}", [I(a), V(base)], V(r))
    AT(f"v128.load{sz}_lane off {n-1}", [I(PAGE - k), V(base)])
w("")
# stores
addr = 1024
for _ in range(3):
    v = bytes(rng.getrandbits(8) for _ in range(16))
    AR("v128.store", [I(addr), V(v)]); mem[addr:addr+16] = v
    AR("v128.load", [I(addr - 1)], V(mem[addr-1:addr+15]))
    AR("v128.load", [I(addr + 1)], V(mem[addr+1:addr+17]))
    addr += 37
v = bytes(rng.getrandbits(8) for _ in range(16))
AR("v128.store off3", [I(addr), V(v)]); mem[addr+3:addr+19] = v
AR("v128.load", [I(addr + 3)], V(mem[addr+3:addr+19]))
AR("v128.store", [I(PAGE - 16), V(v)]); mem[PAGE-16:PAGE] = v
AT("v128.store", [I(PAGE - 15), V(bytes(16))])
AT("v128.store off3", [I(PAGE - 18), V(bytes(16))])
AR("v128.load", [I(PAGE - 16)], V(mem[PAGE-16:PAGE]))
for sz, k, n, lane in lane_fns:
    v = bytes(rng.getrandbits(8) for _ in range(16))
    a = 2048 + 3 * lane
    AR(f"v128.store{sz}_lane {lane}", [I(a), V(v)]); mem[a:a+k] = v[lane*k:(lane+1)*k]
    AR("v128.load", [I(a - 4)], V(mem[a-4:a+12]))
    AR(f"v128.store{sz}_lane {lane}", [I(PAGE - k), V(v)]); mem[PAGE-k:PAGE] = v[lane*k:(lane+1)*k]
    AT(f"v128.store{sz}_lane {lane}", [I(PAGE - k + 1), V(v)])
    AR("v128.load", [I(PAGE - 16)], V(mem[PAGE-16:PAGE]))
open(os.path.join(WAST_DIR, "simd_memory.wast"), "w").write("\n".join(out) + "\n")

"""Generates one of the .wast files in tests/wast (run tests/wast/gen/regen.sh)."""
import os
import sys

WAST_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simdlib import *
g = Gen(777)
out = []; w = out.append
def AR(name, args, res):
    w(f'(assert_return (invoke "{name}" {" ".join(args)}) {res})')
def rbytes(): return [g.rng.getrandbits(8) for _ in range(16)]
def as_shape(shape, b): return from_bytes(shape, bytes(b))

w(";; SIMD basics: v128.const in every lane shape, splat, extract_lane (signed/unsigned),")
w(";; replace_lane, shuffle, swizzle, bitwise operators, bitselect, any_true, all_true and")
w(";; bitmask.")
w("")
w("(module")
# constants of every shape returned as i8x16 bytes
consts = [
 ("i8x16", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0xff]),
 ("i16x8", [0, 1, 0x7fff, 0x8000, 0xffff, 0x1234, 0xabcd, 2]),
 ("i32x4", [0x12345678, 0x9abcdef0, 0, 0xffffffff]),
 ("i64x2", [0x0123456789abcdef, 0xfedcba9876543210]),
 ("f32x4", [1.0, -0.0, float.fromhex("0x1p-149"), inf]),
 ("f64x2", [-1.5, "nan:0x1"]),
]
for i, (s, L) in enumerate(consts):
    w(f'  (func (export "const{i}") (result v128) {vconst(s, L)})')
splats = [("i8x16", "i32"), ("i16x8", "i32"), ("i32x4", "i32"), ("i64x2", "i64"), ("f32x4", "f32"), ("f64x2", "f64")]
for s, t in splats:
    w(f'  (func (export "{s}.splat") (param {t}) (result v128) ({s}.splat (local.get 0)))')
lane_ops = []
for s, t in splats:
    bits, n = SHAPES[s]
    for lane in sorted({0, 1, n // 2, n - 1}):
        if s in ("i8x16", "i16x8"):
            for sg in "su":
                nm = f"{s}.extract_lane_{sg}"
                w(f'  (func (export "{nm} {lane}") (param v128) (result i32) ({nm} {lane} (local.get 0)))')
                lane_ops.append(("extract", s, t, lane, sg))
        else:
            nm = f"{s}.extract_lane"
            w(f'  (func (export "{nm} {lane}") (param v128) (result {t}) ({nm} {lane} (local.get 0)))')
            lane_ops.append(("extract", s, t, lane, None))
        nm = f"{s}.replace_lane"
        w(f'  (func (export "{nm} {lane}") (param v128 {t}) (result v128) ({nm} {lane} (local.get 0) (local.get 1)))')
        lane_ops.append(("replace", s, t, lane, None))
shuffles = [list(range(16)), list(range(16, 32)), [0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23],
            [31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16], [5] * 16, [3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12],
            [0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23]]
for i, sh in enumerate(shuffles):
    w(f'  (func (export "shuffle{i}") (param v128 v128) (result v128) (i8x16.shuffle {" ".join(map(str, sh))} (local.get 0) (local.get 1)))')
w('  (func (export "swizzle") (param v128 v128) (result v128) (i8x16.swizzle (local.get 0) (local.get 1)))')
for op in ["and", "or", "xor", "andnot"]:
    w(f'  (func (export "v128.{op}") (param v128 v128) (result v128) (v128.{op} (local.get 0) (local.get 1)))')
w('  (func (export "v128.not") (param v128) (result v128) (v128.not (local.get 0)))')
w('  (func (export "v128.bitselect") (param v128 v128 v128) (result v128) (v128.bitselect (local.get 0) (local.get 1) (local.get 2)))')
w('  (func (export "v128.any_true") (param v128) (result i32) (v128.any_true (local.get 0)))')
for s in ["i8x16", "i16x8", "i32x4", "i64x2"]:
    w(f'  (func (export "{s}.all_true") (param v128) (result i32) ({s}.all_true (local.get 0)))')
    w(f'  (func (export "{s}.bitmask") (param v128) (result i32) ({s}.bitmask (local.get 0)))')
w('  (func (export "v128-param-passthrough") (param i32 v128 f64 v128) (result v128 v128) (local.get 3) (local.get 1))')
w('  (func (export "v128-select") (param v128 v128 i32) (result v128) (select (local.get 0) (local.get 1) (local.get 2)))')
w('  (func (export "v128-local") (result v128) (local v128) (local.get 0))')
w(")")
w("")
for i, (s, L) in enumerate(consts):
    AR(f"const{i}", [], vconst(s, L))
    AR(f"const{i}", [], vconst("i8x16", list(to_bytes(s, L))))
w("")
def tconst(t, v):
    if t in ("f32", "f64"): return f"({t}.const {ffmt(v)})"
    return f"({t}.const {ifmt(v, int(t[1:]))})"
for s, t in splats:
    bits, n = SHAPES[s]
    vals = ([0, 1, 0xff, 0x100 + 7, -1, 0x8000, 0x12345678] if t == "i32" else
            [0, -1, 0x0123456789abcdef] if t == "i64" else
            [0.0, -0.0, 1.5, "nan:0x1", -inf] if t == "f32" else [0.0, -2.5, "-nan:0x5", inf])
    for v in vals:
        lane = v if t[0] == "f" else ux(v, bits)
        AR(f"{s}.splat", [tconst(t, v)], vconst(s, [lane] * n))
w("")
for kind, s, t, lane, sg in lane_ops:
    bits, n = SHAPES[s]
    for _ in range(2):
        B = rbytes()
        if s[0] == "f" and g.rng.random() < 0.3:
            L = as_shape(s, B); L[lane] = "nan:0x3" if s == "f32x4" else "-nan:0x3"; B = list(to_bytes(s, L))
        L = as_shape(s, B)
        if kind == "extract":
            v = L[lane]
            if sg == "s": res = f"(i32.const {ifmt(sx(v, bits), 32)})"
            elif sg == "u": res = f"(i32.const {ux(v, bits)})"
            elif t[0] == "f": res = f"({t}.const {ffmt(v)})"
            else: res = tconst(t, v)
            nm = f"{s}.extract_lane{'_' + sg if sg else ''} {lane}"
            AR(nm, [vconst("i8x16", B)], res)
        else:
            if t[0] == "f":
                v = g.rng.choice([1.25, -0.0, "nan:0x7", -inf])
            else:
                v = g.rng.getrandbits(int(t[1:]))
            L2 = list(L); L2[lane] = v if t[0] == "f" else ux(v, bits)
            AR(f"{s}.replace_lane {lane}", [vconst("i8x16", B), tconst(t, v)], vconst(s, L2) if s[0] == "f" else vconst("i8x16", list(to_bytes(s, L2))))
w("")
for i, sh in enumerate(shuffles):
    for _ in range(2):
        A = rbytes(); B = rbytes()
        AB = A + B
        AR(f"shuffle{i}", [vconst("i8x16", A), vconst("i8x16", B)], vconst("i8x16", [AB[k] for k in sh]))
for idx in [list(range(15, -1, -1)), [0, 16, 255, 15, 17, 1, 128, 2, 3, 4, 5, 6, 7, 8, 9, 0x7f], [g.rng.getrandbits(5) for _ in range(16)]]:
    A = rbytes()
    AR("swizzle", [vconst("i8x16", A), vconst("i8x16", idx)], vconst("i8x16", [A[k] if k < 16 else 0 for k in idx]))
w("")
for op, f in [("and", lambda a, b: a & b), ("or", lambda a, b: a | b), ("xor", lambda a, b: a ^ b), ("andnot", lambda a, b: a & ~b & 0xff)]:
    for _ in range(3):
        A = rbytes(); B = rbytes()
        AR(f"v128.{op}", [vconst("i8x16", A), vconst("i8x16", B)], vconst("i8x16", [f(a, b) for a, b in zip(A, B)]))
for _ in range(3):
    A = rbytes()
    AR("v128.not", [vconst("i8x16", A)], vconst("i8x16", [~a & 0xff for a in A]))
for _ in range(4):
    A = rbytes(); B = rbytes(); C = rbytes()
    AR("v128.bitselect", [vconst("i8x16", A), vconst("i8x16", B), vconst("i8x16", C)],
       vconst("i8x16", [(a & c) | (b & ~c & 0xff) for a, b, c in zip(A, B, C)]))
w("")
tests = [[0] * 16, [0] * 15 + [0x80], [1] + [0] * 15, [0xff] * 16, [1] * 16, [0x80] * 16, [0, 1] * 8, [1] * 15 + [0],
         [0, 0, 0, 0, 0, 0, 0, 1] + [1] * 8, [0x7f, 0x80] * 8]
for B in tests:
    AR("v128.any_true", [vconst("i8x16", B)], f"(i32.const {int(any(B))})")
    for s in ["i8x16", "i16x8", "i32x4", "i64x2"]:
        bits, n = SHAPES[s]
        L = as_shape(s, B)
        AR(f"{s}.all_true", [vconst("i8x16", B)], f"(i32.const {int(all(L))})")
        mask = sum(1 << i for i, v in enumerate(L) if v >> (bits - 1))
        AR(f"{s}.bitmask", [vconst("i8x16", B)], f"(i32.const {mask})")
w("")
A = rbytes(); B = rbytes()
AR("v128-param-passthrough", ["(i32.const 1)", vconst("i8x16", A), "(f64.const 2)", vconst("i8x16", B)], vconst("i8x16", B) + " " + vconst("i8x16", A))
AR("v128-select", [vconst("i8x16", A), vconst("i8x16", B), "(i32.const 0)"], vconst("i8x16", B))
AR("v128-select", [vconst("i8x16", A), vconst("i8x16", B), "(i32.const 5)"], vconst("i8x16", A))
AR("v128-local", [], vconst("i64x2", [0, 0]))
open(os.path.join(WAST_DIR, "simd_basic.wast"), "w").write("\n".join(out) + "\n")

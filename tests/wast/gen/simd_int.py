"""Generates one of the .wast files in tests/wast (run tests/wast/gen/regen.sh)."""
import os
import sys

WAST_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simdlib import *
g = Gen(1234)
out = []; w = out.append

def sat(v, lo, hi): return max(lo, min(hi, v))
def binop(shape, f):  # f(a_signed, b_signed, a_unsigned, b_unsigned, bits) -> int
    bits, n = SHAPES[shape]
    def run(A, B):
        return [ux(f(sx(a, bits), sx(b, bits), ux(a, bits), ux(b, bits), bits), bits) for a, b in zip(A, B)]
    return run

ints = ["i8x16", "i16x8", "i32x4", "i64x2"]
binops = []  # (name, shape, fn)
for s in ints:
    binops.append((f"{s}.add", s, binop(s, lambda a, b, au, bu, k: a + b)))
    binops.append((f"{s}.sub", s, binop(s, lambda a, b, au, bu, k: a - b)))
    if s != "i8x16":
        binops.append((f"{s}.mul", s, binop(s, lambda a, b, au, bu, k: a * b)))
for s in ["i8x16", "i16x8"]:
    binops.append((f"{s}.add_sat_s", s, binop(s, lambda a, b, au, bu, k: sat(a + b, -(1 << (k - 1)), (1 << (k - 1)) - 1))))
    binops.append((f"{s}.add_sat_u", s, binop(s, lambda a, b, au, bu, k: sat(au + bu, 0, (1 << k) - 1))))
    binops.append((f"{s}.sub_sat_s", s, binop(s, lambda a, b, au, bu, k: sat(a - b, -(1 << (k - 1)), (1 << (k - 1)) - 1))))
    binops.append((f"{s}.sub_sat_u", s, binop(s, lambda a, b, au, bu, k: sat(au - bu, 0, (1 << k) - 1))))
    binops.append((f"{s}.avgr_u", s, binop(s, lambda a, b, au, bu, k: (au + bu + 1) >> 1)))
for s in ["i8x16", "i16x8", "i32x4"]:
    binops.append((f"{s}.min_s", s, binop(s, lambda a, b, au, bu, k: min(a, b))))
    binops.append((f"{s}.min_u", s, binop(s, lambda a, b, au, bu, k: min(au, bu))))
    binops.append((f"{s}.max_s", s, binop(s, lambda a, b, au, bu, k: max(a, b))))
    binops.append((f"{s}.max_u", s, binop(s, lambda a, b, au, bu, k: max(au, bu))))
binops.append(("i16x8.q15mulr_sat_s", "i16x8", binop("i16x8", lambda a, b, au, bu, k: sat((a * b + 0x4000) >> 15, -32768, 32767))))
cmp = {"eq": lambda a, b, au, bu: a == b, "ne": lambda a, b, au, bu: a != b,
       "lt_s": lambda a, b, au, bu: a < b, "lt_u": lambda a, b, au, bu: au < bu,
       "gt_s": lambda a, b, au, bu: a > b, "gt_u": lambda a, b, au, bu: au > bu,
       "le_s": lambda a, b, au, bu: a <= b, "le_u": lambda a, b, au, bu: au <= bu,
       "ge_s": lambda a, b, au, bu: a >= b, "ge_u": lambda a, b, au, bu: au >= bu}
for s in ints:
    for c, f in cmp.items():
        if s == "i64x2" and c.endswith("_u"): continue
        binops.append((f"{s}.{c}", s, binop(s, (lambda f: lambda a, b, au, bu, k: -1 if f(a, b, au, bu) else 0)(f))))

unops = []
def unop(shape, f):
    bits, n = SHAPES[shape]
    return lambda A: [ux(f(sx(a, bits), ux(a, bits), bits), bits) for a in A]
for s in ints:
    unops.append((f"{s}.neg", s, unop(s, lambda a, au, k: -a)))
    unops.append((f"{s}.abs", s, unop(s, lambda a, au, k: abs(a))))
unops.append(("i8x16.popcnt", "i8x16", unop("i8x16", lambda a, au, k: bin(au).count("1"))))

w(";; SIMD integer lanes: add/sub/mul, saturating arithmetic, min/max, avgr, q15mulr,")
w(";; neg/abs/popcnt, every comparison, shifts (count taken modulo the lane width),")
w(";; narrowing, extension, extended multiplication, pairwise addition and dot product.")
w("")
w("(module")
for name, s, f in binops:
    w(f'  (func (export "{name}") (param v128 v128) (result v128) ({name} (local.get 0) (local.get 1)))')
for name, s, f in unops:
    w(f'  (func (export "{name}") (param v128) (result v128) ({name} (local.get 0)))')
shifts = []
for s in ints:
    for op in ["shl", "shr_s", "shr_u"]:
        name = f"{s}.{op}"
        shifts.append((name, s, op))
        w(f'  (func (export "{name}") (param v128 i32) (result v128) ({name} (local.get 0) (local.get 1)))')
others = [("i8x16.narrow_i16x8_s", "i16x8", "i8x16"), ("i8x16.narrow_i16x8_u", "i16x8", "i8x16"),
          ("i16x8.narrow_i32x4_s", "i32x4", "i16x8"), ("i16x8.narrow_i32x4_u", "i32x4", "i16x8")]
for name, a, b in others:
    w(f'  (func (export "{name}") (param v128 v128) (result v128) ({name} (local.get 0) (local.get 1)))')
exts = []
for dst, src in [("i16x8", "i8x16"), ("i32x4", "i16x8"), ("i64x2", "i32x4")]:
    for half in ["low", "high"]:
        for sg in ["s", "u"]:
            exts.append((f"{dst}.extend_{half}_{src}_{sg}", dst, src, half, sg))
            exts.append((f"{dst}.extmul_{half}_{src}_{sg}", dst, src, half, sg))
for name, dst, src, half, sg in exts:
    if "extmul" in name:
        w(f'  (func (export "{name}") (param v128 v128) (result v128) ({name} (local.get 0) (local.get 1)))')
    else:
        w(f'  (func (export "{name}") (param v128) (result v128) ({name} (local.get 0)))')
pw = [("i16x8.extadd_pairwise_i8x16_s", "i16x8", "i8x16", "s"), ("i16x8.extadd_pairwise_i8x16_u", "i16x8", "i8x16", "u"),
      ("i32x4.extadd_pairwise_i16x8_s", "i32x4", "i16x8", "s"), ("i32x4.extadd_pairwise_i16x8_u", "i32x4", "i16x8", "u")]
for name, *_ in pw:
    w(f'  (func (export "{name}") (param v128) (result v128) ({name} (local.get 0)))')
w('  (func (export "i32x4.dot_i16x8_s") (param v128 v128) (result v128) (i32x4.dot_i16x8_s (local.get 0) (local.get 1)))')
w(")")
w("")

def AR(name, args, res):
    w(f'(assert_return (invoke "{name}" {" ".join(args)}) {res})')

for name, s, f in binops:
    bits, n = SHAPES[s]
    cases = [(g.ilanes(s), g.ilanes(s)) for _ in range(3)]
    A = g.ilanes(s); cases.append((A, A))  # equal operands
    for A, B in cases:
        AR(name, [vconst(s, A), vconst(s, B)], vconst(s, f(A, B)))
w("")
for name, s, f in unops:
    bits, n = SHAPES[s]
    for _ in range(3):
        A = g.ilanes(s)
        AR(name, [vconst(s, A)], vconst(s, f(A)))
    A = [ux(-(1 << (bits - 1)), bits)] * n
    AR(name, [vconst(s, A)], vconst(s, f(A)))
w("")
for name, s, op in shifts:
    bits, n = SHAPES[s]
    for cnt in [0, 1, bits - 1, bits, bits + 3, -1, 0x7fffffff]:
        A = g.ilanes(s)
        k = cnt % bits if cnt >= 0 else (cnt & 0xffffffff) % bits
        if op == "shl": R = [ux(a << k, bits) for a in A]
        elif op == "shr_s": R = [ux(sx(a, bits) >> k, bits) for a in A]
        else: R = [ux(a, bits) >> k for a in A]
        AR(name, [vconst(s, A), f"(i32.const {cnt})"], vconst(s, R))
w("")
for name, src, dst in others:
    sb, sn = SHAPES[src]; db, dn = SHAPES[dst]
    for _ in range(3):
        A = g.ilanes(src); B = g.ilanes(src)
        if name.endswith("_s"):
            R = [sat(sx(x, sb), -(1 << (db - 1)), (1 << (db - 1)) - 1) for x in A + B]
        else:
            R = [sat(sx(x, sb), 0, (1 << db) - 1) for x in A + B]
        AR(name, [vconst(src, A), vconst(src, B)], vconst(dst, [ux(x, db) for x in R]))
w("")
for name, dst, src, half, sg in exts:
    sb, sn = SHAPES[src]; db, dn = SHAPES[dst]
    conv = (lambda x: sx(x, sb)) if sg == "s" else (lambda x: ux(x, sb))
    for _ in range(3):
        A = g.ilanes(src); B = g.ilanes(src)
        part = slice(0, sn // 2) if half == "low" else slice(sn // 2, sn)
        if "extmul" in name:
            R = [ux(conv(x) * conv(y), db) for x, y in zip(A[part], B[part])]
            AR(name, [vconst(src, A), vconst(src, B)], vconst(dst, R))
        else:
            R = [ux(conv(x), db) for x in A[part]]
            AR(name, [vconst(src, A)], vconst(dst, R))
w("")
for name, dst, src, sg in pw:
    sb, sn = SHAPES[src]; db, dn = SHAPES[dst]
    conv = (lambda x: sx(x, sb)) if sg == "s" else (lambda x: ux(x, sb))
    for _ in range(3):
        A = g.ilanes(src)
        R = [ux(conv(A[2 * i]) + conv(A[2 * i + 1]), db) for i in range(dn)]
        AR(name, [vconst(src, A)], vconst(dst, R))
    A = [0x80] * 16 if src == "i8x16" else [0x8000] * 8
    R = [ux(conv(A[2 * i]) + conv(A[2 * i + 1]), db) for i in range(dn)]
    AR(name, [vconst(src, A)], vconst(dst, R))
for _ in range(3):
    A = g.ilanes("i16x8"); B = g.ilanes("i16x8")
    R = [ux(sx(A[2*i], 16) * sx(B[2*i], 16) + sx(A[2*i+1], 16) * sx(B[2*i+1], 16), 32) for i in range(4)]
    AR("i32x4.dot_i16x8_s", [vconst("i16x8", A), vconst("i16x8", B)], vconst("i32x4", R))
A = [0x8000] * 8
R = [ux(2 * 0x8000 * 0x8000, 32)] * 4
AR("i32x4.dot_i16x8_s", [vconst("i16x8", A), vconst("i16x8", A)], vconst("i32x4", R))
open(os.path.join(WAST_DIR, "simd_int.wast"), "w").write("\n".join(out) + "\n")

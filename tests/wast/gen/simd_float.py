"""Generates one of the .wast files in tests/wast (run tests/wast/gen/regen.sh)."""
import os
import sys

WAST_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simdlib import *
import random
rng = random.Random(99)
out = []; w = out.append
def pool(shape):
    if shape == "f32x4":
        return [0.0, -0.0, 1.0, -1.5, 2.5, 0.1, r32(0.1), float.fromhex("0x1p-149"), float.fromhex("0x1.fffffep127"), inf, -inf,
                "nan", "-nan", "nan:0x200000", 3.0, -7.25, 1e10, -0.5, 0.5]
    return [0.0, -0.0, 1.0, -1.5, 2.5, 0.1, float.fromhex("0x0.0000000000001p-1022"), float.fromhex("0x1.fffffffffffffp1023"), inf, -inf,
            "nan", "-nan", "nan:0x4000000000000", 3.0, -7.25, 1e300, -0.5, 0.5]
def lanes(shape):
    n = SHAPES[shape][1]
    P = [x for x in pool(shape)]
    return [r32(x) if shape == "f32x4" and not isinstance(x, str) else x for x in (rng.choice(P) for _ in range(n))]
def res_const(shape, R):
    # expected vector: lanes may be nan:canonical / nan:arithmetic patterns
    return f"(v128.const {shape} " + " ".join(ffmt(x) for x in R) + ")"

w(";; SIMD floating-point lanes: arithmetic, min/max (NaN and signed zero rules), pmin/pmax")
w(";; (bit-exact selection), rounding, sqrt, abs/neg, comparisons and lane conversions.")
w("")
w("(module")
bops = ["add", "sub", "mul", "div", "min", "max", "pmin", "pmax"]
uops = ["abs", "neg", "sqrt", "ceil", "floor", "trunc", "nearest"]
cops = ["eq", "ne", "lt", "le", "gt", "ge"]
for s in ["f32x4", "f64x2"]:
    for o in bops + cops:
        w(f'  (func (export "{s}.{o}") (param v128 v128) (result v128) ({s}.{o} (local.get 0) (local.get 1)))')
    for o in uops:
        w(f'  (func (export "{s}.{o}") (param v128) (result v128) ({s}.{o} (local.get 0)))')
convs = ["f32x4.convert_i32x4_s", "f32x4.convert_i32x4_u", "i32x4.trunc_sat_f32x4_s", "i32x4.trunc_sat_f32x4_u",
         "f64x2.convert_low_i32x4_s", "f64x2.convert_low_i32x4_u", "i32x4.trunc_sat_f64x2_s_zero", "i32x4.trunc_sat_f64x2_u_zero",
         "f32x4.demote_f64x2_zero", "f64x2.promote_low_f32x4"]
for c in convs:
    w(f'  (func (export "{c}") (param v128) (result v128) ({c} (local.get 0)))')
w(")")
w("")
def AR(name, args, res):
    w(f'(assert_return (invoke "{name}" {" ".join(args)}) {res})')
for s in ["f32x4", "f64x2"]:
    for o in bops:
        f = fbin(o, s)
        cases = [(lanes(s), lanes(s)) for _ in range(4)]
        if o in ("min", "max", "pmin", "pmax"):
            n = SHAPES[s][1]
            cases.append(([0.0, -0.0] * (n // 2), [-0.0, 0.0] * (n // 2)))
            cases.append((["nan"] + [1.0] * (n - 1), [1.0] * (n - 1) + ["nan:0x1"]))
        for A, B in cases:
            AR(f"{s}.{o}", [vconst(s, A), vconst(s, B)], res_const(s, [f(a, b) for a, b in zip(A, B)]))
    for o in uops:
        f = fun(o, s)
        for _ in range(4):
            A = lanes(s)
            AR(f"{s}.{o}", [vconst(s, A)], res_const(s, [f(a) for a in A]))
    for o in cops:
        f = fcmp(o)
        ishape = "i32x4" if s == "f32x4" else "i64x2"
        for _ in range(3):
            A = lanes(s); B = lanes(s)
            AR(f"{s}.{o}", [vconst(s, A), vconst(s, B)], vconst(ishape, [ux(f(a, b), SHAPES[ishape][0]) for a, b in zip(A, B)]))
        A = lanes(s)
        AR(f"{s}.{o}", [vconst(s, A), vconst(s, A)], vconst(ishape, [ux(f(a, a), SHAPES[ishape][0]) for a in A]))
    w("")
# conversions
ivals = [0, 1, -1, 0x7fffffff, 0x80000000, 0x01000001, 0xffffff7f, 123456789, 0x7fffff80, 16777217]
for name in ["f32x4.convert_i32x4_s", "f32x4.convert_i32x4_u"]:
    for i in range(0, len(ivals), 4):
        A = (ivals[i:i+4] + [7, 8, 9])[:4]
        sg = name.endswith("_s")
        R = [round_int(sx(a, 32) if sg else ux(a, 32), 24) for a in A]
        AR(name, [vconst("i32x4", A)], res_const("f32x4", R))
fvals = [0.0, -0.0, 1.5, -1.5, 2147483520.0, 2147483648.0, -2147483648.0, -2147483904.0, 4294967040.0, 4294967296.0,
         inf, -inf, "nan", "-nan", -0.9, 0.9]
for name in ["i32x4.trunc_sat_f32x4_s", "i32x4.trunc_sat_f32x4_u"]:
    for i in range(0, len(fvals), 4):
        A = fvals[i:i+4]
        lo, hi = (-(1 << 31), (1 << 31) - 1) if name.endswith("_s") else (0, (1 << 32) - 1)
        R = [ux(trunc_sat(a, lo, hi), 32) for a in A]
        AR(name, [vconst("f32x4", A)], vconst("i32x4", R))
for name in ["f64x2.convert_low_i32x4_s", "f64x2.convert_low_i32x4_u"]:
    for i in range(0, len(ivals) - 1, 2):
        A = [ivals[i], ivals[i + 1], 0x55555555, 0xaaaaaaaa]
        sg = name.endswith("_s")
        R = [float(sx(a, 32) if sg else ux(a, 32)) for a in A[:2]]
        AR(name, [vconst("i32x4", A)], res_const("f64x2", R))
dvals = [0.0, -0.0, 2147483647.9, 2147483648.0, -2147483648.9, -2147483649.0, 4294967295.5, 4294967296.0, inf, -inf,
         "nan", "-nan:0x1", -0.99, 1e300]
for name in ["i32x4.trunc_sat_f64x2_s_zero", "i32x4.trunc_sat_f64x2_u_zero"]:
    for i in range(0, len(dvals), 2):
        A = dvals[i:i+2]
        lo, hi = (-(1 << 31), (1 << 31) - 1) if "_s_" in name else (0, (1 << 32) - 1)
        R = [ux(trunc_sat(a, lo, hi), 32) for a in A] + [0, 0]
        AR(name, [vconst("f64x2", A)], vconst("i32x4", R))
demv = [0.0, -0.0, 1.0, 0.1, float.fromhex("0x1.fffffefffffffp+127"), float.fromhex("0x1.ffffffp+127"), 1e-50, -1e300, inf, "nan",
        "nan:0x4000000000000", float.fromhex("0x1.0000010000000p+0")]
def dem(x):
    if isinstance(x, str): return "nan:canonical" if x.lstrip("-") == "nan" else "nan:arithmetic"
    return r32(x)
for i in range(0, len(demv), 2):
    A = demv[i:i+2]
    AR("f32x4.demote_f64x2_zero", [vconst("f64x2", A)], res_const("f32x4", [dem(a) for a in A] + [0.0, 0.0]))
prov = [0.0, -0.0, float.fromhex("0x1p-149"), float.fromhex("0x1.fffffep127"), -inf, 1.5, "nan", "nan:0x200000"]
for i in range(0, len(prov), 2):
    A = prov[i:i+2] + [9.0, 10.0]
    R = [("nan:canonical" if a == "nan" else "nan:arithmetic") if isinstance(a, str) else a for a in A[:2]]
    AR("f64x2.promote_low_f32x4", [vconst("f32x4", A)], res_const("f64x2", R))
open(os.path.join(WAST_DIR, "simd_float.wast"), "w").write("\n".join(out) + "\n")

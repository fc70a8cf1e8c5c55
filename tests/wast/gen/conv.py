"""Generates one of the .wast files in tests/wast (run tests/wast/gen/regen.sh)."""
import os
import sys

WAST_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
import sys, math, struct
from fractions import Fraction
inf = math.inf

def f32bits(x): return struct.unpack('<I', struct.pack('<f', x))[0]
def f32from(b): return struct.unpack('<f', struct.pack('<I', b))[0]
def f64bits(x): return struct.unpack('<Q', struct.pack('<d', x))[0]
def f64from(b): return struct.unpack('<d', struct.pack('<Q', b))[0]
def next32(x, d):  # next f32 toward direction d (+1/-1) for positive/negative finite non-zero x
    b = f32bits(x)
    return f32from(b + 1 if (x > 0) == (d > 0) else b - 1)
def next64(x, d):
    return math.nextafter(x, d * inf)

def fmt(v):
    if isinstance(v, str): return v
    if math.isinf(v): return "inf" if v > 0 else "-inf"
    mant, exp = v.hex().split("p")
    if "." in mant: mant = mant.rstrip("0").rstrip(".")
    return mant + "p" + exp

def ifmt(v, bits):
    M = (1 << bits) - 1
    v &= M
    s = v - (1 << bits) if v >> (bits - 1) else v
    return str(s) if -100000 <= s <= 100000 else hex(v)

def round_to_float(n, mbits, emax):
    """Correctly round integer n to a binary float with mbits significand bits (round half even)."""
    if n == 0: return 0.0
    sign = -1 if n < 0 else 1
    a = abs(n)
    L = a.bit_length()
    if L <= mbits:
        return sign * float(a)
    shift = L - mbits
    q, rem = divmod(a, 1 << shift)
    half = 1 << (shift - 1)
    if rem > half or (rem == half and q & 1):
        q += 1
    return sign * math.ldexp(float(q), shift)

out = []
w = out.append
w(";; Numeric conversions: wrap/extend, trapping and saturating truncation (with the exact")
w(";; boundaries of every source/target pair), int-to-float rounding, promote/demote,")
w(";; reinterpretation and the sign-extension operators.")
w("")
w("(module")
ops = [
 ("i32.wrap_i64", "i64", "i32"), ("i64.extend_i32_s", "i32", "i64"), ("i64.extend_i32_u", "i32", "i64"),
]
truncs = []
for dst in ("i32", "i64"):
    for src in ("f32", "f64"):
        for sg in ("s", "u"):
            ops.append((f"{dst}.trunc_{src}_{sg}", src, dst))
            ops.append((f"{dst}.trunc_sat_{src}_{sg}", src, dst))
            truncs.append((dst, src, sg))
for dst in ("f32", "f64"):
    for src in ("i32", "i64"):
        for sg in ("s", "u"):
            ops.append((f"{dst}.convert_{src}_{sg}", src, dst))
ops += [("f32.demote_f64", "f64", "f32"), ("f64.promote_f32", "f32", "f64"),
        ("i32.reinterpret_f32", "f32", "i32"), ("i64.reinterpret_f64", "f64", "i64"),
        ("f32.reinterpret_i32", "i32", "f32"), ("f64.reinterpret_i64", "i64", "f64"),
        ("i32.extend8_s", "i32", "i32"), ("i32.extend16_s", "i32", "i32"),
        ("i64.extend8_s", "i64", "i64"), ("i64.extend16_s", "i64", "i64"), ("i64.extend32_s", "i64", "i64")]
for op, src, dst in ops:
    w(f'  (func (export "{op}") (param $x {src}) (result {dst}) ({op} (local.get $x)))')
w(")")
w("")

def A(op, src, arg, dst, res):
    a = ifmt(arg, int(src[1:])) if src[0] == "i" else fmt(arg)
    if isinstance(res, str) and not res.lstrip("-").startswith("nan"):
        w(f'(assert_trap (invoke "{op}" ({src}.const {a})) "{res}")')
    else:
        rr = ifmt(res, int(dst[1:])) if dst[0] == "i" else fmt(res)
        w(f'(assert_return (invoke "{op}" ({src}.const {a})) ({dst}.const {rr}))')

# wrap / extend
for v in [0, 1, -1, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 0x123456789abcdef0, -0x80000000, 0x8000000000000000, 0xfffffffe00000005]:
    A("i32.wrap_i64", "i64", v, "i32", v & 0xffffffff)
for v in [0, 1, -1, 0x7fffffff, 0x80000000, 0x12345678, 0xfedcba98]:
    v &= 0xffffffff
    s = v - (1 << 32) if v & 0x80000000 else v
    A("i64.extend_i32_s", "i32", v, "i64", s)
    A("i64.extend_i32_u", "i32", v, "i64", v & 0xffffffff)
w("")

# truncations
for dst, src, sg in truncs:
    bits = int(dst[1:])
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if sg == "s" else (0, (1 << bits) - 1)
    nxt = next32 if src == "f32" else next64
    rnd = (lambda x: f32from(f32bits(x))) if src == "f32" else (lambda x: x)
    vals = [0.0, -0.0, 1.0, -1.0, 1.5, -1.5, 0.9, -0.9, 2.5, 1e-40 if src == "f64" else f32from(1), 123456.75, -123456.75]
    # boundaries: the smallest value that is out of range at each end, and the in-range value next to it
    # upper: hi + 1 is a power of two, exactly representable
    up = float(hi + 1)
    vals += [up, nxt(up, -1), up * 2]
    if sg == "s":
        lw = float(lo)  # -2^(n-1), exactly representable and valid
        below = nxt(lw, -1)   # next float below
        vals += [lw, below]
        if lw - 1 > below:  # fraction values between (lo-1, lo] are valid
            pass
        if src == "f64" and bits == 32:
            vals += [lw - 0.9, lw - 1.0]
    else:
        vals += [-0.99999 if src == "f64" else rnd(-0.99999), -1.0, nxt(-1.0, 1)]
    vals += [inf, -inf, "nan", "-nan", "nan:0x200000" if src == "f32" else "nan:0x4000000000000"]
    vals = [rnd(v) if not isinstance(v, str) else v for v in vals]
    for v in vals:
        for sat in (False, True):
            op = f"{dst}.trunc_{'sat_' if sat else ''}{src}_{sg}"
            if isinstance(v, str):
                res = 0 if sat else "invalid conversion to integer"
            elif math.isinf(v):
                res = (hi if v > 0 else lo) if sat else "integer overflow"
            else:
                t = math.trunc(v)
                if t < lo or t > hi:
                    res = (hi if t > hi else lo) if sat else "integer overflow"
                else:
                    res = t
            A(op, src, v, dst, res)
    w("")

# int -> float conversions
ivals32 = [0, 1, -1, 0x7fffffff, 0x80000000, 0x80000001, 0x01000001, 0x01000003, 0x7fffff80, 0x7fffffc0, 0xffffff7f, 123456789]
ivals64 = [0, 1, -1, 0x7fffffffffffffff, 0x8000000000000000, 0x0020000000000001, 0x0020000000000003, 0x0000000001000001,
           0x7fffff4000000001, 0xfffffffffffff7ff, 0xffffffffffffffff, 0x8000008000000001, 0x10000000000000c1, 9007199254740993]
for dst in ("f32", "f64"):
    mb, emax = (24, 127) if dst == "f32" else (53, 1023)
    for src, vals in (("i32", ivals32), ("i64", ivals64)):
        bits = int(src[1:])
        for v in vals:
            u = v & ((1 << bits) - 1)
            s = u - (1 << bits) if u >> (bits - 1) else u
            A(f"{dst}.convert_{src}_s", src, v, dst, round_to_float(s, mb, emax))
            A(f"{dst}.convert_{src}_u", src, v, dst, round_to_float(u, mb, emax))
    w("")

# demote / promote
def demote(x):
    if isinstance(x, str):
        return "nan:canonical" if x.lstrip("-") == "nan" else "nan:arithmetic"
    try:
        return struct.unpack('<f', struct.pack('<f', x))[0]
    except OverflowError:
        return math.copysign(inf, x)
dvals = [0.0, -0.0, 1.0, -1.0, 0.1, float.fromhex("0x1.fffffe0000000p+127"), float.fromhex("0x1.fffffefffffffp+127"),
         float.fromhex("0x1.ffffffp+127"), float.fromhex("0x1p-149"), float.fromhex("0x1p-150"), float.fromhex("0x1.0000000000001p-150"),
         float.fromhex("0x1.0000010000000p+0"), float.fromhex("0x1.0000030000000p+0"), float.fromhex("0x1.0000010000001p+0"),
         float.fromhex("0x1p-126"), 1e300, -1e300, 1e-300, inf, -inf, "nan", "-nan", "nan:0x4000000000000"]
for v in dvals:
    A("f32.demote_f64", "f64", v, "f32", demote(v))
pvals = [0.0, -0.0, 1.0, -1.5, float.fromhex("0x1p-149"), float.fromhex("0x1.fffffep+127"), float.fromhex("0x1.6p-126"), inf, -inf]
for v in pvals:
    A("f64.promote_f32", "f32", v, "f64", v)
A("f64.promote_f32", "f32", "nan", "f64", "nan:canonical")
A("f64.promote_f32", "f32", "-nan", "f64", "nan:canonical")
A("f64.promote_f32", "f32", "nan:0x200000", "f64", "nan:arithmetic")
w("")

# reinterpret
for v in [0, 1, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00001, 0xffc00000, 0x3f800000, 0x00000001, 0x7f7fffff]:
    if (v & 0x7f800000) == 0x7f800000 and v & 0x7fffff:
        fv = ("-" if v >> 31 else "") + f"nan:{hex(v & 0x7fffff)}"
    else:
        fv = f32from(v)
    A("i32.reinterpret_f32", "f32", fv, "i32", v)
    A("f32.reinterpret_i32", "i32", v, "f32", fv)
for v in [0, 1, 0x8000000000000000, 0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000, 0x7ff0000000000001,
          0xfff8000000000000, 0x3ff0000000000000, 0x7fefffffffffffff, 0x400921fb54442d18]:
    if (v & 0x7ff0000000000000) == 0x7ff0000000000000 and v & 0xfffffffffffff:
        fv = ("-" if v >> 63 else "") + f"nan:{hex(v & 0xfffffffffffff)}"
    else:
        fv = f64from(v)
    A("i64.reinterpret_f64", "f64", fv, "i64", v)
    A("f64.reinterpret_i64", "i64", v, "f64", fv)
w("")

def sext(v, n, bits):
    v &= (1 << n) - 1
    return v - (1 << n) if v >> (n - 1) else v
for op, bits, n in [("i32.extend8_s", 32, 8), ("i32.extend16_s", 32, 16), ("i64.extend8_s", 64, 8), ("i64.extend16_s", 64, 16), ("i64.extend32_s", 64, 32)]:
    T = f"i{bits}"
    for v in [0, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x12345678, 0x87654321, 0xfedcba9876543210 if bits == 64 else 0xfedcba98]:
        A(op, T, v, T, sext(v, n, bits))
open(sys.argv[1], "w").write("\n".join(out) + "\n")

"""Generates one of the .wast files in tests/wast (run tests/wast/gen/regen.sh)."""
import os
import sys

WAST_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
import sys, math, struct

bits = int(sys.argv[2])
T = f"f{bits}"
inf = math.inf
nan = math.nan

def r(x):
    """round a double to the type's precision"""
    if bits == 64 or math.isnan(x) or math.isinf(x):
        return x
    try:
        return struct.unpack('<f', struct.pack('<f', x))[0]
    except OverflowError:
        return math.copysign(inf, x)

# NaN values are represented as strings: "nan" (canonical, +), "-nan", "nan:0x...." (payload)
if bits == 32:
    ARITH = "nan:0x200000"
    NEG_ARITH = "-nan:0x200000"
    PAY = "nan:0x12345"   # a signalling NaN payload: still a NaN input
    MAXF = r(float.fromhex("0x1.fffffep+127"))
    MINSUB = float.fromhex("0x1p-149")
    MAXSUB = float.fromhex("0x0.fffffep-126")
    MINNORM = float.fromhex("0x1p-126")
    BIG = float.fromhex("0x1p+23")
else:
    ARITH = "nan:0x4000000000000"
    NEG_ARITH = "-nan:0x4000000000000"
    PAY = "nan:0x123456789"
    MAXF = float.fromhex("0x1.fffffffffffffp+1023")
    MINSUB = float.fromhex("0x0.0000000000001p-1022")
    MAXSUB = float.fromhex("0x0.fffffffffffffp-1022")
    MINNORM = float.fromhex("0x1p-1022")
    BIG = float.fromhex("0x1p+52")

def isnanv(v): return isinstance(v, str)
def canonical(v): return v in ("nan", "-nan")

def fmt(v):
    if isinstance(v, str): return v
    if math.isinf(v): return "inf" if v > 0 else "-inf"
    h = v.hex()  # like -0x1.8000000000000p+1
    mant, exp = h.split("p")
    if "." in mant:
        mant = mant.rstrip("0").rstrip(".")
    return mant + "p" + exp

def const(v): return f"({T}.const {fmt(v)})"

def nanres(*args):
    ns = [a for a in args if isnanv(a)]
    if ns:
        return "nan:canonical" if all(canonical(a) for a in ns) else "nan:arithmetic"
    return None

def arith(op):
    def f(a, b):
        n = nanres(a, b)
        if n: return n
        if op == "add": x = a + b
        elif op == "sub": x = a - b
        elif op == "mul":
            x = a * b
        elif op == "div":
            if b == 0:
                if a == 0: return "nan:canonical"
                x = math.copysign(inf, a) * math.copysign(1, b)
            else:
                x = a / b
        if math.isnan(x): return "nan:canonical"
        return r(x)
    return f

def fmin(a, b):
    n = nanres(a, b)
    if n: return n
    if a == 0 and b == 0:
        return -0.0 if (math.copysign(1, a) < 0 or math.copysign(1, b) < 0) else 0.0
    return min(a, b)

def fmax(a, b):
    n = nanres(a, b)
    if n: return n
    if a == 0 and b == 0:
        return 0.0 if (math.copysign(1, a) > 0 or math.copysign(1, b) > 0) else -0.0
    return max(a, b)

def neg_nan(v):
    return v[1:] if v.startswith("-") else "-" + v

def copysign(a, b):
    neg = (b.startswith("-") if isnanv(b) else math.copysign(1, b) < 0)
    if isnanv(a):
        base = a.lstrip("-")
        return "-" + base if neg else base
    return math.copysign(a, -1.0 if neg else 1.0)

def unop(op):
    def f(a):
        if op == "abs":
            return a.lstrip("-") if isnanv(a) else abs(a)
        if op == "neg":
            return neg_nan(a) if isnanv(a) else -a
        n = nanres(a)
        if n: return n
        if math.isinf(a): 
            if op == "sqrt" and a < 0: return "nan:canonical"
            return a
        if op == "sqrt":
            if a < 0: return "nan:canonical"
            if a == 0: return a
            return r(math.sqrt(a))
        if op == "ceil": x = float(math.ceil(a))
        elif op == "floor": x = float(math.floor(a))
        elif op == "trunc": x = float(math.trunc(a))
        elif op == "nearest": x = float(round(a))
        if x == 0: x = math.copysign(0.0, a)
        return x
    return f

def cmpop(op):
    def f(a, b):
        if isnanv(a) or isnanv(b):
            return 1 if op == "ne" else 0
        return int({"eq": a == b, "ne": a != b, "lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b}[op])
    return f

binops = {"add": arith("add"), "sub": arith("sub"), "mul": arith("mul"), "div": arith("div"),
          "min": fmin, "max": fmax, "copysign": copysign}
unops = {name: unop(name) for name in ["abs", "neg", "sqrt", "ceil", "floor", "trunc", "nearest"]}
cmps = {name: cmpop(name) for name in ["eq", "ne", "lt", "le", "gt", "ge"]}

arith_vals = [0.0, -0.0, MINSUB, -MAXSUB, MINNORM, 1.0, -1.5, 3.0, MAXF, -MAXF, inf, -inf, "nan", ARITH, "-nan"]
arith_vals2 = [0.0, -0.0, MINSUB, 1.0, -2.0, 0.5, MAXF, inf, -inf, "nan", NEG_ARITH]
minmax_vals = [0.0, -0.0, 1.0, -1.0, MINSUB, -inf, inf, "nan", "-nan", ARITH]
cs_vals = [0.0, -0.0, 1.5, -1.5, inf, -inf, "nan", "-nan", PAY, "-" + PAY]
un_vals = [0.0, -0.0, MINSUB, -MINSUB, MINNORM, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.5, -3.5, 0.49999997 if bits == 32 else 0.49999999999999994,
           4.0, -4.0, BIG + 1.0 if bits == 64 else BIG + 1, -(BIG - 0.5), MAXF, -MAXF, inf, -inf, "nan", "-nan", ARITH, PAY]
un_vals = [r(v) if not isnanv(v) else v for v in un_vals]
cmp_vals = [0.0, -0.0, 1.0, -1.0, MINSUB, inf, -inf, "nan", ARITH]

out = []
w = out.append
w(f";; {T} arithmetic, rounding, sign and comparison operators, including signed zeros,")
w(";; subnormals, infinities and NaN propagation (nan:canonical / nan:arithmetic patterns).")
w("")
w("(module")
for op in binops:
    w(f'  (func (export "{op}") (param $x {T}) (param $y {T}) (result {T}) ({T}.{op} (local.get $x) (local.get $y)))')
for op in unops:
    w(f'  (func (export "{op}") (param $x {T}) (result {T}) ({T}.{op} (local.get $x)))')
for op in cmps:
    w(f'  (func (export "{op}") (param $x {T}) (param $y {T}) (result i32) ({T}.{op} (local.get $x) (local.get $y)))')
w(")")
w("")

def ret(v):
    return f"({T}.const {v})" if isinstance(v, str) else const(v)

def emit(op, args, res):
    w(f'(assert_return (invoke "{op}" {" ".join(const(a) for a in args)}) {ret(res)})')

for op in ["add", "sub", "mul", "div"]:
    vals = arith_vals if op in ("add", "mul") else arith_vals2
    for a in vals:
        for b in (arith_vals2 if op in ("add", "mul") else vals):
            emit(op, [a, b], binops[op](a, b))
    w("")
# a few inexact results that exercise rounding
rnd = [(1.0, 3.0), (2.0, 3.0), (0.1 if bits == 64 else r(0.1), 0.2 if bits == 64 else r(0.2)), (MAXF, MAXF), (MINSUB, 0.5), (MINNORM, 3.0),
       (r(1e30) if bits == 32 else 1e300, r(1e-30) if bits == 32 else 1e-300), (-7.0, 0.1 if bits == 64 else r(0.1))]
for a, b in rnd:
    for op in ["add", "sub", "mul", "div"]:
        emit(op, [a, b], binops[op](a, b))
w("")
for op in ["min", "max"]:
    for a in minmax_vals:
        for b in minmax_vals:
            emit(op, [a, b], binops[op](a, b))
    w("")
for a in cs_vals:
    for b in [0.0, -0.0, 2.0, -2.0, "nan", "-nan"]:
        emit("copysign", [a, b], copysign(a, b))
w("")
for op, f in unops.items():
    for a in un_vals:
        emit(op, [a], f(a))
    w("")
for op, f in cmps.items():
    for a in cmp_vals:
        for b in [0.0, -0.0, 1.0, inf, -inf, "nan"]:
            w(f'(assert_return (invoke "{op}" {const(a)} {const(b)}) (i32.const {f(a, b)}))')
    w("")

# constant operands, checked after a compiler may have folded them
w(";; The same operators applied to constants inside the function body.")
w("(module")
consts = []
cases = [("add", [MINSUB, -MINSUB]), ("sub", [-0.0, 0.0]), ("sub", [0.0, 0.0]), ("mul", [-0.0, 5.0]), ("mul", [MAXF, 2.0]),
         ("div", [1.0, -0.0]), ("div", [0.0, 0.0]), ("div", [1.0, 3.0]), ("min", [0.0, -0.0]), ("max", [-0.0, 0.0]),
         ("min", ["nan", 1.0]), ("max", [1.0, ARITH]), ("copysign", [1.0, "-nan"]), ("add", [inf, -inf]), ("mul", [0.0, -inf])]
ucases = [("neg", ["nan"]), ("abs", ["-nan"]), ("neg", [0.0]), ("sqrt", [-1.0]), ("sqrt", [-0.0]), ("nearest", [-0.5]),
          ("nearest", [2.5]), ("ceil", [-0.5]), ("floor", [-0.5]), ("trunc", [-1.5]), ("nearest", [-MINSUB])]
i = 0
for op, args in cases + ucases:
    name = f"c{i}"; i += 1
    w(f'  (func (export "{name}") (result {T}) ({T}.{op} {" ".join(const(a) for a in args)}))')
    res = (binops.get(op) or unops.get(op))(*args)
    consts.append((name, res))
w(")")
for name, res in consts:
    w(f'(assert_return (invoke "{name}") {ret(res)})')
w("")
# NaN payload and sign survive abs/neg/copysign and plain moves through locals, globals and memory
w(";; abs, neg and copysign are bit operations: NaN payloads pass through unchanged.")
w("(module")
w("  (memory 1)")
w(f"  (global $g (mut {T}) ({T}.const 0))")
w(f'  (func (export "via_local") (param $x {T}) (result {T}) (local $y {T}) (local.set $y (local.get $x)) (local.get $y))')
w(f'  (func (export "via_global") (param $x {T}) (result {T}) (global.set $g (local.get $x)) (global.get $g))')
w(f'  (func (export "via_memory") (param $x {T}) (result {T}) ({T}.store (i32.const 8) (local.get $x)) ({T}.load (i32.const 8)))')
w(f'  (func (export "via_select") (param $x {T}) (param $c i32) (result {T}) (select (local.get $x) ({T}.const 1) (local.get $c)))')
w(")")
for v in ["nan", "-nan", ARITH, NEG_ARITH, PAY, "-" + PAY]:
    for fn in ["via_local", "via_global", "via_memory"]:
        w(f'(assert_return (invoke "{fn}" {const(v)}) {ret(v)})')
    w(f'(assert_return (invoke "via_select" {const(v)} (i32.const 1)) {ret(v)})')
open(sys.argv[1], "w").write("\n".join(out) + "\n")

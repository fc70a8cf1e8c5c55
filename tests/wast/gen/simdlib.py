"""Lane helpers shared by the SIMD .wast generators."""
import math, struct, random
inf = math.inf
SHAPES = {"i8x16": (8, 16), "i16x8": (16, 8), "i32x4": (32, 4), "i64x2": (64, 2), "f32x4": (32, 4), "f64x2": (64, 2)}

def to_bytes(shape, lanes):
    bits, n = SHAPES[shape]
    out = b""
    for v in lanes:
        if shape[0] == "f":
            out += fenc(shape, v)
        else:
            out += (v & ((1 << bits) - 1)).to_bytes(bits // 8, "little")
    return out

def from_bytes(shape, b, signed=False):
    bits, n = SHAPES[shape]
    k = bits // 8
    res = []
    for i in range(n):
        chunk = b[i*k:(i+1)*k]
        if shape[0] == "f":
            res.append(fdec(shape, chunk))
        else:
            res.append(int.from_bytes(chunk, "little", signed=signed))
    return res

# float lane values are Python floats or NaN strings like "nan", "-nan", "nan:0x200000"
def fenc(shape, v):
    if shape == "f32x4":
        if isinstance(v, str):
            neg = v.startswith("-"); body = v.lstrip("-")
            pay = int(body[4:], 16) if ":" in body else 0x400000
            b = 0x7f800000 | pay | (0x80000000 if neg else 0)
            return struct.pack("<I", b)
        return struct.pack("<f", v)
    if isinstance(v, str):
        neg = v.startswith("-"); body = v.lstrip("-")
        pay = int(body[4:], 16) if ":" in body else 0x8000000000000
        b = 0x7ff0000000000000 | pay | (0x8000000000000000 if neg else 0)
        return struct.pack("<Q", b)
    return struct.pack("<d", v)

def fdec(shape, chunk):
    if shape == "f32x4":
        b = struct.unpack("<I", chunk)[0]
        if (b & 0x7f800000) == 0x7f800000 and b & 0x7fffff:
            p = b & 0x7fffff
            s = ("-" if b >> 31 else "") + ("nan" if p == 0x400000 else "nan:" + hex(p))
            return s
        return struct.unpack("<f", chunk)[0]
    b = struct.unpack("<Q", chunk)[0]
    if (b & 0x7ff0000000000000) == 0x7ff0000000000000 and b & 0xfffffffffffff:
        p = b & 0xfffffffffffff
        return ("-" if b >> 63 else "") + ("nan" if p == 0x8000000000000 else "nan:" + hex(p))
    return struct.unpack("<d", chunk)[0]

def ffmt(v):
    if isinstance(v, str): return v
    if math.isinf(v): return "inf" if v > 0 else "-inf"
    mant, exp = v.hex().split("p")
    if "." in mant: mant = mant.rstrip("0").rstrip(".")
    return mant + "p" + exp

def ifmt(v, bits):
    v &= (1 << bits) - 1
    s = v - (1 << bits) if v >> (bits - 1) else v
    return str(s) if -1000 <= s <= 1000 else hex(v)

def vconst(shape, lanes):
    bits, n = SHAPES[shape]
    assert len(lanes) == n, (shape, lanes)
    if shape[0] == "f":
        return f"(v128.const {shape} " + " ".join(ffmt(x) for x in lanes) + ")"
    return f"(v128.const {shape} " + " ".join(ifmt(x, bits) for x in lanes) + ")"

def sx(v, bits):
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >> (bits - 1) else v
def ux(v, bits): return v & ((1 << bits) - 1)

def r32(x):
    if isinstance(x, str) or math.isnan(x) or math.isinf(x): return x
    try: return struct.unpack('<f', struct.pack('<f', x))[0]
    except OverflowError: return math.copysign(inf, x)

def isnanv(v): return isinstance(v, str)
def nanres(*args):
    ns = [a for a in args if isnanv(a)]
    if ns:
        return "nan:canonical" if all(a.lstrip("-") == "nan" for a in ns) else "nan:arithmetic"
    return None

def fbin(op, shape):
    rnd = r32 if shape == "f32x4" else (lambda x: x)
    def f(a, b):
        n = nanres(a, b)
        if op in ("pmin", "pmax"):
            # pmin: b < a ? b : a ; pmax: a < b ? b : a  (bit-exact, no NaN canonicalisation)
            lt = (lambda x, y: (not isnanv(x)) and (not isnanv(y)) and x < y)
            if op == "pmin": return b if lt(b, a) else a
            return b if lt(a, b) else a
        if n: return n
        if op == "add": x = a + b
        elif op == "sub": x = a - b
        elif op == "mul": x = a * b
        elif op == "div":
            if b == 0:
                if a == 0: return "nan:canonical"
                x = math.copysign(inf, a) * math.copysign(1, b)
            else: x = a / b
        elif op == "min":
            if a == 0 and b == 0: return -0.0 if (math.copysign(1, a) < 0 or math.copysign(1, b) < 0) else 0.0
            return min(a, b)
        elif op == "max":
            if a == 0 and b == 0: return 0.0 if (math.copysign(1, a) > 0 or math.copysign(1, b) > 0) else -0.0
            return max(a, b)
        if math.isnan(x): return "nan:canonical"
        return rnd(x)
    return f

def fun(op, shape):
    rnd = r32 if shape == "f32x4" else (lambda x: x)
    def f(a):
        if op == "abs": return a.lstrip("-") if isnanv(a) else abs(a)
        if op == "neg": return (a[1:] if a.startswith("-") else "-" + a) if isnanv(a) else -a
        n = nanres(a)
        if n: return n
        if math.isinf(a):
            if op == "sqrt" and a < 0: return "nan:canonical"
            return a
        if op == "sqrt":
            if a < 0: return "nan:canonical"
            if a == 0: return a
            return rnd(math.sqrt(a))
        x = float({"ceil": math.ceil, "floor": math.floor, "trunc": math.trunc, "nearest": round}[op](a))
        if x == 0: x = math.copysign(0.0, a)
        return x
    return f

def fcmp(op):
    def f(a, b):
        if isnanv(a) or isnanv(b): return -1 if op == "ne" else 0
        return -1 if {"eq": a == b, "ne": a != b, "lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b}[op] else 0
    return f

def round_int(n, mbits):
    if n == 0: return 0.0
    sign = -1 if n < 0 else 1
    a = abs(n); L = a.bit_length()
    if L <= mbits: return sign * float(a)
    shift = L - mbits
    q, rem = divmod(a, 1 << shift)
    half = 1 << (shift - 1)
    if rem > half or (rem == half and q & 1): q += 1
    return sign * math.ldexp(float(q), shift)

def trunc_sat(v, lo, hi):
    if isnanv(v): return 0
    if math.isinf(v): return hi if v > 0 else lo
    t = math.trunc(v)
    return max(lo, min(hi, t))

class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
    def ilanes(self, shape):
        bits, n = SHAPES[shape]
        edges = [0, 1, -1, (1 << (bits - 1)) - 1, -(1 << (bits - 1)), 2, (1 << (bits - 1)), 0x55, 0xaa]
        out = []
        for i in range(n):
            if self.rng.random() < 0.5: out.append(ux(self.rng.choice(edges), bits))
            else: out.append(self.rng.getrandbits(bits))
        return out

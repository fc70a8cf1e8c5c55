"""Generates one of the .wast files in tests/wast (run tests/wast/gen/regen.sh)."""
import os
import sys

WAST_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def gen(bits):
    M = (1 << bits) - 1
    T = f"i{bits}"
    def s(x):  # to signed
        x &= M
        return x - (1 << bits) if x >> (bits - 1) else x
    def u(x):
        return x & M
    def fmt(x):
        x = u(x)
        sx = s(x)
        if -1000 <= sx <= 1000:
            return str(sx)
        return hex(x)
    MIN = 1 << (bits - 1)
    MAX = MIN - 1
    def div_s(a, b):
        a, b = s(a), s(b)
        if b == 0: return "integer divide by zero"
        if a == -MIN and b == -1: return "integer overflow"
        q = abs(a) // abs(b)
        return q if (a < 0) == (b < 0) else -q
    def rem_s(a, b):
        a, b = s(a), s(b)
        if b == 0: return "integer divide by zero"
        r = abs(a) % abs(b)
        return r if a >= 0 else -r
    def div_u(a, b):
        a, b = u(a), u(b)
        if b == 0: return "integer divide by zero"
        return a // b
    def rem_u(a, b):
        a, b = u(a), u(b)
        if b == 0: return "integer divide by zero"
        return a % b
    def rotl(a, b):
        a = u(a); k = u(b) % bits
        return ((a << k) | (a >> (bits - k))) & M
    def rotr(a, b):
        a = u(a); k = u(b) % bits
        return ((a >> k) | (a << (bits - k))) & M
    binops = {
        "add": lambda a, b: a + b,
        "sub": lambda a, b: a - b,
        "mul": lambda a, b: a * b,
        "div_s": div_s, "div_u": div_u, "rem_s": rem_s, "rem_u": rem_u,
        "and": lambda a, b: a & b, "or": lambda a, b: a | b, "xor": lambda a, b: a ^ b,
        "shl": lambda a, b: u(a) << (u(b) % bits),
        "shr_s": lambda a, b: s(a) >> (u(b) % bits),
        "shr_u": lambda a, b: u(a) >> (u(b) % bits),
        "rotl": rotl, "rotr": rotr,
    }
    def clz(a):
        a = u(a)
        return bits - a.bit_length()
    def ctz(a):
        a = u(a)
        if a == 0: return bits
        return (a & -a).bit_length() - 1
    def popcnt(a): return bin(u(a)).count("1")
    def ext(n):
        def f(a):
            a &= (1 << n) - 1
            return a - (1 << n) if a >> (n - 1) else a
        return f
    unops = {"clz": clz, "ctz": ctz, "popcnt": popcnt, "extend8_s": ext(8), "extend16_s": ext(16)}
    if bits == 64:
        unops["extend32_s"] = ext(32)
    relops = {
        "eq": lambda a, b: u(a) == u(b), "ne": lambda a, b: u(a) != u(b),
        "lt_s": lambda a, b: s(a) < s(b), "lt_u": lambda a, b: u(a) < u(b),
        "le_s": lambda a, b: s(a) <= s(b), "le_u": lambda a, b: u(a) <= u(b),
        "gt_s": lambda a, b: s(a) > s(b), "gt_u": lambda a, b: u(a) > u(b),
        "ge_s": lambda a, b: s(a) >= s(b), "ge_u": lambda a, b: u(a) >= u(b),
    }
    H = 0x9E3779B97F4A7C15 & M
    common = [0, 1, -1, 2, -2, MAX, MIN, MIN + 1, 0x12345678, 0x87654321 if bits == 32 else 0x8765432112345678, H]
    pairs = {}
    base_pairs = [(0, 0), (1, 1), (1, -1), (-1, -1), (MAX, 1), (MIN, -1), (MIN, 1), (MAX, MAX), (MIN, MIN),
                  (0x12345678, 0x9abcdef), (H, 3), (5, -3), (-5, 3), (-5, -3), (7, 2), (-7, 2), (MAX, -1), (0, MIN)]
    shift_pairs = [(1, 0), (1, 1), (1, bits - 1), (1, bits), (1, bits + 1), (-1, 1), (MIN, 1), (MIN, bits - 1),
                   (MAX, 1), (0x12345678, 4), (H, 13), (H, -1), (H, MIN), (-1, -1), (MIN, bits), (1, 0x7fffffff), (H, 2 * bits + 5)]
    div_pairs = [(1, 0), (0, 0), (MIN, 0), (MIN, -1), (-1, 0), (1, 1), (0, 1), (-1, -1), (MIN, 2), (MIN + 1, 1000),
                 (7, 3), (-7, 3), (7, -3), (-7, -3), (MAX, -1), (MAX, MAX), (MIN, MIN), (H, 0x10001), (5, 2), (-5, -2), (17, -7)]
    out = []
    w = out.append
    w(f";; {T} arithmetic, bitwise, comparison and sign-extension operators.")
    w(f";; Every operator is exercised through parameters (run-time operands) and through")
    w(f";; constant operands (so that a compiler that folds constants is checked too).")
    w("")
    w("(module")
    for op in binops:
        w(f'  (func (export "{op}") (param $x {T}) (param $y {T}) (result {T}) ({T}.{op} (local.get $x) (local.get $y)))')
    for op in unops:
        w(f'  (func (export "{op}") (param $x {T}) (result {T}) ({T}.{op} (local.get $x)))')
    w(f'  (func (export "eqz") (param $x {T}) (result i32) ({T}.eqz (local.get $x)))')
    for op in relops:
        w(f'  (func (export "{op}") (param $x {T}) (param $y {T}) (result i32) ({T}.{op} (local.get $x) (local.get $y)))')
    w(")")
    w("")
    n = 0
    for op, f in binops.items():
        if op in ("shl", "shr_s", "shr_u", "rotl", "rotr"):
            ps = shift_pairs
        elif op.startswith("div") or op.startswith("rem"):
            ps = div_pairs
        else:
            ps = base_pairs
        for a, b in ps:
            r = f(a, b)
            inv = f'(invoke "{op}" ({T}.const {fmt(a)}) ({T}.const {fmt(b)}))'
            if isinstance(r, str):
                w(f'(assert_trap {inv} "{r}")')
            else:
                w(f'(assert_return {inv} ({T}.const {fmt(r)}))')
            n += 1
        w("")
    unvals = [0, 1, -1, 2, 0x80, 0x7f, 0xff, 0x8000, 0x7fff, 0xffff, MIN, MAX, 0x12345678, H, 0x80000000, 0x7fffffff, 0x00f00000]
    for op, f in unops.items():
        for a in unvals:
            w(f'(assert_return (invoke "{op}" ({T}.const {fmt(a)})) ({T}.const {fmt(f(a))}))'); n += 1
        w("")
    for a in [0, 1, -1, MIN, MAX, H]:
        w(f'(assert_return (invoke "eqz" ({T}.const {fmt(a)})) (i32.const {int(u(a) == 0)}))'); n += 1
    w("")
    relpairs = [(0, 0), (1, 0), (0, 1), (-1, 1), (1, -1), (MIN, MAX), (MAX, MIN), (MIN, MIN), (-1, -1), (H, H + 1), (MIN, 0)]
    for op, f in relops.items():
        for a, b in relpairs:
            w(f'(assert_return (invoke "{op}" ({T}.const {fmt(a)}) ({T}.const {fmt(b)})) (i32.const {int(f(a, b))}))'); n += 1
        w("")
    # constant-operand variants
    w(";; The same operators with constant operands inside the function body.")
    w("(module")
    consts = []
    idx = 0
    for op, f in binops.items():
        sel = {"div_s": [(MIN, -1), (7, 0), (-7, 2), (MIN, 2)], "div_u": [(MIN, -1), (7, 0), (-7, 2)],
               "rem_s": [(MIN, -1), (7, 0), (-7, 2)], "rem_u": [(MIN, -1), (7, 0), (-7, 2)],
               "shl": [(1, bits), (H, bits + 3)], "shr_s": [(MIN, bits + 1), (-8, 1)], "shr_u": [(MIN, bits + 1)],
               "rotl": [(H, bits - 1)], "rotr": [(H, 1)]}.get(op, [(MAX, 1), (H, MIN)])
        for a, b in sel:
            name = f"{op}_{idx}"; idx += 1
            w(f'  (func (export "{name}") (result {T}) ({T}.{op} ({T}.const {fmt(a)}) ({T}.const {fmt(b)})))')
            consts.append((name, f(a, b)))
    for op, f in unops.items():
        for a in [0, MIN, H]:
            name = f"{op}_{idx}"; idx += 1
            w(f'  (func (export "{name}") (result {T}) ({T}.{op} ({T}.const {fmt(a)})))')
            consts.append((name, f(a)))
    for op, f in relops.items():
        a, b = (MIN, 1)
        name = f"{op}_{idx}"; idx += 1
        w(f'  (func (export "{name}") (result i32) ({T}.{op} ({T}.const {fmt(a)}) ({T}.const {fmt(b)})))')
        consts.append((name, "bool" + str(int(f(a, b)))))
    w(")")
    w("")
    for name, r in consts:
        if isinstance(r, str) and r.startswith("bool"):
            w(f'(assert_return (invoke "{name}") (i32.const {r[4:]}))')
        elif isinstance(r, str):
            w(f'(assert_trap (invoke "{name}") "{r}")')
        else:
            w(f'(assert_return (invoke "{name}") ({T}.const {fmt(r)}))')
        n += 1
    return "\n".join(out) + "\n"

open(sys.argv[1], "w").write(gen(int(sys.argv[2])))

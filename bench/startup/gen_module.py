#!/usr/bin/env python3
"""Writes an import-free WebAssembly module of about SIZE bytes for the start-up benchmark.

gen_module.py SIZE OUT.wasm [--seed N]

The module has one memory (16 pages) and many functions (i32) -> i32 of varied size: loops over
memory with integer and float arithmetic, branches, calls to earlier
functions that call nothing themselves (so one call does bounded work). It exports
  run      calls every 16th function once (a program's start-up touches a small part of its code)
  run_all  calls every function once
each returning a checksum, so parawasm and node can be compared on the same result.
"""
import argparse
import random
import struct
import sys


def uleb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def sleb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if (n == 0 and not b & 0x40) or (n == -1 and b & 0x40):
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)


def section(sid, payload):
    return bytes([sid]) + uleb(len(payload)) + payload


def vec(items):
    return uleb(len(items)) + b"".join(items)


I32, F64 = 0x7F, 0x7C
# opcodes
LOCAL_GET, LOCAL_SET, LOCAL_TEE = 0x20, 0x21, 0x22
I32_CONST, F64_CONST = 0x41, 0x44
I32_ADD, I32_SUB, I32_MUL, I32_AND, I32_OR, I32_XOR, I32_SHL, I32_SHR_U, I32_ROTL = (
    0x6A, 0x6B, 0x6C, 0x71, 0x72, 0x73, 0x74, 0x76, 0x77)
I32_LT_S, I32_EQZ = 0x48, 0x45
F64_ADD, F64_MUL = 0xA0, 0xA2
F64_CONVERT_I32_S = 0xB7
I32_TRUNC_SAT_F64_S = b"\xfc\x02"
I32_LOAD, I32_STORE, F64_LOAD, F64_STORE = 0x28, 0x36, 0x2B, 0x39
BLOCK, LOOP, IF, ELSE, END, BR_IF, CALL, DROP = 0x02, 0x03, 0x04, 0x05, 0x0B, 0x0D, 0x10, 0x1A
VOID = 0x40


def function_body(rng, index):
    # locals: 0 = n (param), 1 = i, 2 = acc, 3 = x (f64)
    c = bytearray()

    def i32c(v):
        c.append(I32_CONST)
        c.extend(sleb(v))

    def addr_of_i(mask, scale):
        c.extend([LOCAL_GET, 1])
        i32c(scale)
        c.append(I32_MUL)
        i32c(mask)
        c.append(I32_AND)

    # acc = n * k
    c.extend([LOCAL_GET, 0])
    i32c(rng.randrange(3, 1 << 20))
    c.extend([I32_MUL, LOCAL_SET, 2])
    statements = rng.randrange(3, 18)
    # loop: for (i = 0; i < n + 4; ++i) { statements }
    c.extend([BLOCK, VOID, LOOP, VOID])
    for _ in range(statements):
        kind = rng.randrange(6)
        if kind == 0:  # acc = rotl(acc * k + load(i*4 & mask), r)
            c.extend([LOCAL_GET, 2])
            i32c(rng.randrange(3, 1 << 16) | 1)
            c.append(I32_MUL)
            addr_of_i(0xFFFC, 4)
            c.extend([I32_LOAD, 2, 0, I32_ADD])
            i32c(rng.randrange(1, 31))
            c.extend([I32_ROTL, LOCAL_SET, 2])
        elif kind == 1:  # store(i*8 & mask + off, acc ^ k)
            addr_of_i(0xFFF0, 8)
            c.extend([LOCAL_GET, 2])
            i32c(rng.randrange(1 << 30))
            c.append(I32_XOR)
            c.extend([I32_STORE, 2])
            c.extend(uleb(rng.randrange(0, 1024) * 4))
        elif kind == 2:  # x = x * c + (f64)acc
            c.extend([LOCAL_GET, 3, F64_CONST])
            c.extend(struct.pack("<d", 0.5 + rng.random() * 0.25))
            c.extend([F64_MUL, LOCAL_GET, 2, F64_CONVERT_I32_S, F64_ADD, LOCAL_SET, 3])
        elif kind == 3:  # f64 store/load round trip
            addr_of_i(0xFFF8, 8)
            c.extend([LOCAL_GET, 3, F64_STORE, 3, 0])
            c.extend([LOCAL_GET, 3])
            addr_of_i(0xFFF8, 16)
            c.extend([F64_LOAD, 3, 0, F64_ADD, LOCAL_SET, 3])
        elif kind == 4:  # if (acc & m) acc += k else acc -= i
            c.extend([LOCAL_GET, 2])
            i32c(1 << rng.randrange(0, 12))
            c.extend([I32_AND, IF, VOID, LOCAL_GET, 2])
            i32c(rng.randrange(1, 1 << 24))
            c.extend([I32_ADD, LOCAL_SET, 2, ELSE, LOCAL_GET, 2, LOCAL_GET, 1, I32_SUB, LOCAL_SET,
                      2, END])
        else:  # acc ^= f_j(acc & 3) for an earlier leaf j (every 8th function calls nothing)
            if index % 8 == 0:
                continue
            j = rng.randrange(max(0, index - 64), index) & ~7
            c.extend([LOCAL_GET, 2, LOCAL_GET, 2])
            i32c(3)
            c.extend([I32_AND, CALL])
            c.extend(uleb(j))
            c.extend([I32_XOR, LOCAL_SET, 2])
    # ++i; if (i < n + 4) continue
    c.extend([LOCAL_GET, 1])
    i32c(1)
    c.extend([I32_ADD, LOCAL_TEE, 1, LOCAL_GET, 0])
    i32c(4)
    c.extend([I32_ADD, I32_LT_S, BR_IF, 0, END, END])
    # return acc + trunc_sat(x)
    c.extend([LOCAL_GET, 2, LOCAL_GET, 3])
    c.extend(I32_TRUNC_SAT_F64_S)
    c.extend([I32_ADD, END])
    locals_ = vec([uleb(2) + bytes([I32]), uleb(1) + bytes([F64])])
    body = locals_ + bytes(c)
    return uleb(len(body)) + body


def caller_body(indices):
    c = bytearray()
    c.extend([I32_CONST, 0])
    for j in indices:
        c.extend([I32_CONST, 2, CALL])
        c.extend(uleb(j))
        c.append(I32_ADD)
    c.append(END)
    body = vec([]) + bytes(c)
    return uleb(len(body)) + body


def build(size, seed):
    rng = random.Random(seed)
    bodies = []
    total = 0
    while total < size:
        b = function_body(rng, len(bodies))
        bodies.append(b)
        total += len(b)
    n = len(bodies)
    bodies.append(caller_body(range(0, n, 16)))
    bodies.append(caller_body(range(n)))
    types = vec([b"\x60" + vec([bytes([I32])]) + vec([bytes([I32])]),
                 b"\x60" + vec([]) + vec([bytes([I32])])])
    funcs = vec([uleb(0)] * n + [uleb(1), uleb(1)])
    memory = vec([b"\x00" + uleb(16)])
    exports = vec([uleb(len(name)) + name.encode() + b"\x00" + uleb(idx)
                   for name, idx in (("run", n), ("run_all", n + 1))])
    code = vec(bodies)
    return (b"\0asm" + struct.pack("<I", 1) + section(1, types) + section(3, funcs) +
            section(5, memory) + section(7, exports) + section(10, code)), n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("size", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    data, n = build(a.size, a.seed)
    with open(a.out, "wb") as f:
        f.write(data)
    print(f"{a.out}: {len(data)} bytes, {n} functions", file=sys.stderr)


if __name__ == "__main__":
    main()

"""Generates one of the .wast files in tests/wast (run tests/wast/gen/regen.sh)."""
import os
import sys

WAST_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
def leb(n):
    out = bytearray()
    while True:
        b = n & 0x7f; n >>= 7
        if n: out.append(b | 0x80)
        else: out.append(b); return bytes(out)
def sleb(n):
    out = bytearray()
    while True:
        b = n & 0x7f; n >>= 7
        if (n == 0 and not b & 0x40) or (n == -1 and b & 0x40):
            out.append(b); return bytes(out)
        out.append(b | 0x80)
def sec(i, body): return bytes([i]) + leb(len(body)) + body
def vec(items): return leb(len(items)) + b"".join(items)
def name(s): b = s.encode() if isinstance(s, str) else s; return leb(len(b)) + b
HDR = b"\x00asm\x01\x00\x00\x00"
def lit(b):
    return "".join("\\%02x" % x for x in b)
def module(b, comment=None):
    # split into header and the rest for readability
    parts = []
    if b.startswith(HDR):
        parts.append('"\\00asm" "\\01\\00\\00\\00"'); b = b[8:]
    while b:
        parts.append('"' + lit(b[:24]) + '"'); b = b[24:]
    return "(module binary\n    " + "\n    ".join(parts) + ")"

T_void = b"\x60\x00\x00"
T_i32 = b"\x60\x00\x01\x7f"
def type_sec(*ts): return sec(1, vec(list(ts)))
def func_sec(*idx): return sec(3, vec([leb(i) for i in idx]))
def code_sec(*bodies): return sec(10, vec([leb(len(b)) + b for b in bodies]))
def export_func(nm, i): return sec(7, vec([name(nm) + b"\x00" + leb(i)]))
BODY_VOID = b"\x00\x0b"
BODY_42 = b"\x00\x41\x2a\x0b"

valid = []
malformed = []
V = lambda b, c: valid.append((b, c))
M = lambda b, msg, c: malformed.append((b, msg, c))

V(HDR, "the smallest module")
V(HDR + type_sec(T_i32) + func_sec(0) + export_func("f", 0) + code_sec(BODY_42), "one exported function")
V(HDR + sec(0, name("custom") + b"payload") + type_sec(T_void) + sec(0, name("")), "custom sections anywhere, empty name allowed")
V(HDR + type_sec(T_i32) + func_sec(0) + export_func("g", 0) + code_sec(b"\x00\x41" + b"\xaa\x80\x80\x80\x00" + b"\x0b"),
  "a non-minimal LEB128 of five bytes is fine")
V(HDR + type_sec(T_i32) + func_sec(0) + export_func("h", 0) + code_sec(b"\x01\x01\x7f\x20\x00\x0b"), "a local declaration")

M(b"", "unexpected end", "empty file")
M(b"\x00as", "unexpected end", "truncated magic")
M(b"\x00asm", "unexpected end", "missing version")
M(b"\x00asm\x01\x00\x00", "unexpected end", "truncated version")
M(b"asm\x00\x01\x00\x00\x00", "magic header not detected", "magic bytes in the wrong order")
M(b"\x00ASM\x01\x00\x00\x00", "magic header not detected", "upper-case magic")
M(b"\x00wasm\x01\x00\x00", "magic header not detected", "extra byte in the magic")
M(b"\x00asm\x02\x00\x00\x00", "unknown binary version", "version 2")
M(b"\x00asm\x00\x00\x00\x01", "unknown binary version", "big-endian version")
M(b"\x00asm\x0d\x00\x01\x00", "unknown binary version", "component-model layer")
M(HDR + b"\x0e\x00", "malformed section id", "section id 14 does not exist")
M(HDR + b"\x7f\x00", "malformed section id", "section id 127 does not exist")
M(HDR + b"\x01", "unexpected end", "section id without size")
M(HDR + b"\x01\x05\x01\x60\x00", "unexpected end", "section shorter than its size")
M(HDR + b"\x01\x05\x01\x60\x00\x00\x00", "section size mismatch", "section longer than its contents")
M(HDR + b"\x00\x01\x05", "unexpected end", "custom section name longer than the section")
M(HDR + b"\x00\x80\x80\x80\x80\x10", "integer too large", "section size LEB128 over 32 bits")
M(HDR + b"\x01\x82\x80\x80\x80\x80\x00", "integer representation too long", "section size LEB128 of six bytes")
M(HDR + type_sec(T_i32) + func_sec(0) + code_sec(b"\x00\x41\xff\xff\xff\xff\x7f\x0b"), "unexpected end", "i32.const LEB128 cut short") if False else None
M(HDR + type_sec(T_i32) + func_sec(0) + code_sec(b"\x00\x41\x80\x80\x80\x80\x80\x00\x0b"), "integer representation too long", "i32.const LEB128 of six bytes")
M(HDR + type_sec(T_i32) + func_sec(0) + code_sec(b"\x00\x41\x80\x80\x80\x80\x70\x0b"), "integer too large", "i32.const with unused bits that are not a sign extension")
M(HDR + type_sec(b"\x60\x00\x01\x7e") + func_sec(0) + code_sec(b"\x00\x42" + b"\x80" * 10 + b"\x00\x0b"), "integer representation too long", "i64.const LEB128 of eleven bytes")
M(HDR + type_sec(b"\x60\x00\x01\x7e") + func_sec(0) + code_sec(b"\x00\x42" + b"\x80" * 9 + b"\x02\x0b"), "integer too large", "i64.const LEB128 overflowing 64 bits")
M(HDR + type_sec(T_void) + func_sec(0) + code_sec(b"\x00\xff\x0b"), "illegal opcode", "opcode 0xff")
M(HDR + type_sec(T_void) + func_sec(0) + code_sec(b"\x00\xd3\x0b"), "illegal opcode", "opcode 0xd3 (not in 2.0)")
M(HDR + type_sec(T_void) + func_sec(0) + code_sec(b"\x00\xfc\x7f\x0b"), "illegal opcode", "unknown 0xfc sub-opcode")
M(HDR + type_sec(T_void) + func_sec(0) + code_sec(b"\x00\xfd\xff\x0f\x0b"), "illegal opcode", "unknown SIMD sub-opcode")
M(HDR + type_sec(T_void) + func_sec(0) + code_sec(b"\x00\x01"), "unexpected end", "function body without end")
M(HDR + type_sec(T_void) + func_sec(0) + code_sec(b"\x00\x0b\x0b"), "section size mismatch", "code after the final end") if False else None
M(HDR + type_sec(T_void) + func_sec(0, 0), "function and code section have inconsistent lengths", "functions without bodies")
M(HDR + type_sec(T_void) + func_sec(0) + code_sec(BODY_VOID, BODY_VOID), "function and code section have inconsistent lengths", "more bodies than functions")
M(HDR + type_sec(T_void) + code_sec(BODY_VOID), "function and code section have inconsistent lengths", "bodies without a function section")
M(HDR + type_sec(T_void) + func_sec(0) + code_sec(b"\x02\xff\xff\xff\xff\x0f\x7f\x01\x7e\x0b"), "too many locals", "local count above 2^32")
M(HDR + type_sec(b"\x61\x00\x00"), "integer representation too long", "function type with form 0x61") if False else None
M(HDR + type_sec(b"\x60\x01\x7b\x00") + type_sec(T_void), "unexpected content after last section", "type section twice") if False else None
M(HDR + sec(3, vec([b"\x00"])) + type_sec(T_void), "unexpected content after last section", "sections out of order") if False else None
M(HDR + sec(5, vec([b"\x02\x00\x00\x00"])), "integer too large", "memory limits flag 2 without threads") if False else None
M(HDR + sec(12, b"\x01") + sec(11, vec([b"\x01\x00"])) + sec(11, b""), "unexpected end", "truncated data section") if False else None
M(HDR + sec(7, vec([name(b"\xff") + b"\x00\x00"])), "malformed UTF-8 encoding", "export name that is not UTF-8")
M(HDR + sec(7, vec([name(b"\xc0\x80") + b"\x00\x00"])), "malformed UTF-8 encoding", "overlong encoding of NUL")
M(HDR + sec(2, vec([name("m") + name(b"\xed\xa0\x80") + b"\x00\x00"])), "malformed UTF-8 encoding", "surrogate code point in an import name")
M(HDR + sec(0, name(b"\xf8\x88\x80\x80\x80")), "malformed UTF-8 encoding", "five-byte sequence in a custom section name")
M(HDR + sec(2, vec([name("m") + name("f") + b"\x05\x00"])), "malformed import kind", "import kind 5")
M(HDR + type_sec(T_void) + func_sec(0) + sec(7, vec([name("f") + b"\x05\x00"])) + code_sec(BODY_VOID), "malformed export kind", "export kind 5")
M(HDR + sec(5, vec([b"\x08\x00"])), "integer too large", "memory limits flag 8") if False else None

out = [";; Binary modules that the decoder must reject, with a few valid binaries first to show",
       ";; that the encodings used below are otherwise well formed.", ""]
for b, c in valid:
    out.append(f";; {c}")
    out.append(module(b))
out.append('(assert_return (invoke "g") (i32.const 42))') if False else None
out.append("")
out.append(";; the module with function f above")
vb = HDR + type_sec(T_i32) + func_sec(0) + export_func("f", 0) + code_sec(BODY_42)
out.append(module(vb))
out.append('(assert_return (invoke "f") (i32.const 42))')
vb = HDR + type_sec(T_i32) + func_sec(0) + export_func("g", 0) + code_sec(b"\x00\x41" + b"\xaa\x80\x80\x80\x00" + b"\x0b")
out.append(module(vb))
out.append('(assert_return (invoke "g") (i32.const 42))')
vb = HDR + type_sec(b"\x60\x00\x01\x7e") + func_sec(0) + export_func("h", 0) + code_sec(b"\x00\x42" + b"\xff" * 9 + b"\x7f\x0b")
out.append(module(vb))
out.append('(assert_return (invoke "h") (i64.const -1))')
out.append("")
for x in malformed:
    if x is None: continue
    b, msg, c = x
    out.append(f";; {c}")
    mod = module(b) if b else '(module binary "")'
    out.append("(assert_malformed\n  " + mod + '\n  "' + msg + '")')
out.append("")
out.append(";; Text-format modules that cannot be parsed.")
quotes = [
 ('(func (drop (i32.const 0x100000000)))', "constant out of range"),
 ('(func (drop (i32.const -0x80000001)))', "constant out of range"),
 ('(func (drop (i64.const 18446744073709551616)))', "constant out of range"),
 ('(func (drop (f32.const 0x1p128)))', "constant out of range"),
 ('(func (drop (f32.const nan:0x800000)))', "constant out of range"),
 ('(func (drop (f64.const nan:0x0)))', "constant out of range"),
 ('(func (i32.frobnicate))', "unknown operator"),
 ('(func (drop (i32.load align=3 (i32.const 0))))', "alignment"),
 ('(func (local.get $missing))', "unknown operator") if False else None,
 ('(func (result i32) (i32.const 1)', "unexpected token") if False else None,
 ('(memory 1) (func (drop (i32.load offset=0x100000000 (i32.const 0))))', "i32 constant"),
 ('(type $t (func)) (type $t (func))', "duplicate type"),
 ('(func $f) (func $f)', "duplicate func"),
 ('(func (param $x i32) (local $x i32))', "duplicate local"),
]
for q in quotes:
    if q is None: continue
    body, msg = q
    esc = body.replace('"', '\\"')
    out.append(f'(assert_malformed (module quote "{esc}") "{msg}")')
open(os.path.join(WAST_DIR, "malformed.wast"), "w").write("\n".join(out) + "\n")

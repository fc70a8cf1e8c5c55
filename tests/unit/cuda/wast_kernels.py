#!/usr/bin/env python3
"""The kernel-eligible assertions of tests/wast/*.wast as GPU kernels (wast_kernels_test.cpp).

wast_kernels.py OUT_HEADER WAST...

For the assertions on exported functions of a text module that a GPU can run (no memory, table,
import, start, mutable global, exception tag; nothing reached from the function that a GPU
refuses: call_indirect, tail calls, recursion), kernel modules of up to 256 assertions each: the
module itself, the caller's memory imported, and an exported `kernel` whose iteration k runs the
k-th assertion's call and stores its results, one slot each (8 bytes, or 16 in a kernel whose
assertions take or give v128 values), at results + k * stride. Its arguments come from memory,
where a writer kernel stored them from their literals: with constant arguments LLVM would fold
the calls on the host. A kernel holds assert_returns or assert_traps (the test runs each of those
as a launch of its own), and either only i32, i64, f32 and f64 values or also v128 ones (whose
results name the lanes they were written with: "v128:f32x4"). The test runs each kernel on the
sequential device and on the GPU and compares.
"""
import os
import re
import sys

NUMERIC = ("i32", "i64", "f32", "f64")
CASES_PER_KERNEL = 256
# SIMD operations become many scalar ones in PTX: fewer cases keep each kernel's PTX as small.
CASES_PER_SIMD_KERNEL = 64
REFUSED = {"call_indirect", "return_call", "return_call_indirect", "return_call_ref", "call_ref",
           "ref.func", "try", "throw", "rethrow", "global.set", "elem.drop", "data.drop"}
REFUSED_PREFIXES = ("memory.", "table.")


def refused(atom):
    """Whether an instruction is one a kernel here cannot hold (docs/gpu.md, or it needs memory)."""
    return (atom in REFUSED or atom.startswith(REFUSED_PREFIXES) or ".atomic." in atom or
            re.match(r"^([if](32|64)|v128)\.(load|store)", atom) is not None)


def tokenize(text):
    """S-expression tokens of a .wast file: '(' (with its line), ')', atoms and raw strings."""
    i, n, line = 0, len(text), 1
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c in " \t\r":
            i += 1
        elif text.startswith(";;", i):
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("(;", i):
            depth = 0
            while i < n:
                if text.startswith("(;", i):
                    depth += 1
                    i += 2
                elif text.startswith(";)", i):
                    depth -= 1
                    i += 2
                    if depth == 0:
                        break
                else:
                    line += text[i] == "\n"
                    i += 1
        elif c == "(":
            yield ("(", line)
            i += 1
        elif c == ")":
            yield (")", line)
            i += 1
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            yield (text[i:j + 1], line)
            i = j + 1
        else:
            j = i
            while j < n and text[j] not in " \t\r\n()" and not text.startswith(";;", j):
                j += 1
            yield (text[i:j], line)
            i = j


class Node(list):
    line = 0


def parse(text):
    stack = [Node()]
    for tok, line in tokenize(text):
        if tok == "(":
            node = Node()
            node.line = line
            stack[-1].append(node)
            stack.append(node)
        elif tok == ")":
            stack.pop()
        else:
            stack[-1].append(tok)
    return stack[0]


def text_of(node):
    if isinstance(node, list):
        return "(" + " ".join(text_of(x) for x in node) + ")"
    return node


def atoms(node):
    if isinstance(node, list):
        for x in node:
            yield from atoms(x)
    else:
        yield node


class Function:
    def __init__(self, index, node):
        self.index = index
        self.node = node
        self.name = node[1] if len(node) > 1 and isinstance(node[1], str) and node[1].startswith("$") else None
        self.exports = [x[1].strip('"') for x in node if isinstance(x, list) and x and x[0] == "export"]
        self.calls = set()
        body = list(atoms(node))
        self.refused = any(refused(a) for a in body)
        for k, a in enumerate(body):
            if a == "call" and k + 1 < len(body):
                self.calls.add(body[k + 1])


def module_functions(module):
    """The module's functions, or None when the module as a whole is not one a kernel can be."""
    fields = module[1:]
    if fields and isinstance(fields[0], str):
        if fields[0] in ("binary", "quote", "definition"):
            return None
        fields = fields[1:]
        if fields and isinstance(fields[0], str):
            return None
    funcs = []
    for f in fields:
        if not isinstance(f, list) or not f:
            return None
        head = f[0]
        if head in ("memory", "data", "table", "elem", "import", "start", "tag", "rec"):
            return None
        if head == "global" and any(isinstance(x, list) and x and x[0] == "mut" for x in f):
            return None
        if head == "func":
            if any(isinstance(x, list) and x and x[0] == "import" for x in f):
                return None
            funcs.append(Function(len(funcs), f))
        elif head not in ("type", "export", "global"):
            return None
    for f in fields:
        if f[0] == "export" and len(f) == 3 and isinstance(f[2], list) and f[2][0] == "func":
            target = f[2][1]
            for fn in funcs:
                if fn.name == target or str(fn.index) == target:
                    fn.exports.append(f[1].strip('"'))
    return funcs


def runnable(funcs, fn):
    """Whether nothing reached from fn is refused on a GPU (no recursion either)."""
    by_ref = {}
    for f in funcs:
        by_ref[str(f.index)] = f
        if f.name:
            by_ref[f.name] = f
    on_path, done = set(), set()

    def visit(f):
        if f.refused or f.index in on_path:
            return False
        if f.index in done:
            return True
        on_path.add(f.index)
        for c in f.calls:
            g = by_ref.get(c)
            if g is None or not visit(g):
                return False
        on_path.discard(f.index)
        done.add(f.index)
        return True

    return visit(fn)


def const_value(node):
    """The type of '(T.const X)': "i32" ... "f64", or "v128:SHAPE" for '(v128.const SHAPE X...)';
    None for anything else."""
    if isinstance(node, list) and len(node) == 2 and isinstance(node[0], str):
        t = node[0][:3]
        if node[0].endswith(".const") and t in NUMERIC:
            return t
    if (isinstance(node, list) and len(node) >= 3 and node[0] == "v128.const" and
            all(isinstance(x, str) for x in node[1:])):
        return "v128:" + node[1]
    return None


def value_type(type_name):
    """The Wasm type of a const_value type: "v128:f32x4" is a v128."""
    return type_name.split(":")[0]


def arg_type(arg):
    """The Wasm type of an argument's literal text, "(v128.const i8x16 ...)" or "(i32.const 1)"."""
    return arg[1:5] if arg.startswith("(v128") else arg[1:4]


def has_v128(case):
    return any(arg_type(a) == "v128" for a in case["args"]) or any(
        value_type(t) == "v128" for t in case["types"])


def dispatch(cases, stride, per_case, params, prologue="", epilogue=""):
    """A kernel module's `kernel` (after the module's own fields) whose iteration k runs
    prologue, per_case(k, case), epilogue, with $o = the first buffer + k * stride."""
    k = [
        '(func $__pw_kernel (export "kernel") (param $i i32) (param $n i32) (param $block i32)',
        params,
        f"(local.set $o (i32.add (local.get $p0) (i32.mul (local.get $i) (i32.const {stride}))))",
        prologue,
        "(block $done",
    ]
    for c in reversed(range(len(cases))):
        k.append(f"(block $c{c}")
    k.append("(br_table " + " ".join(f"$c{c}" for c in range(len(cases))) + " $done (local.get $i)))")
    for c, case in enumerate(cases):
        # each case's ')' closes the next case's block, the last one $done
        k.append(per_case(c, case) + " (br $done))")
    k.append(epilogue)
    k.append(")")
    return "\n".join(k)


def writer_text(cases, in_stride, slot):
    """Iteration k stores the k-th case's arguments, `slot` bytes apart, from their literals: the
    runner loads them, so no compiler folds the call with constant arguments."""
    def store(c, case):
        code = ""
        for a, arg in enumerate(case["args"]):
            code += f" ({arg_type(arg)}.store offset={slot * a} (local.get $o) {arg})"
        return code or " (nop)"
    params = "(param $p0 i32) (param $p0_len i32) (local $o i32)"
    return ('(module (import "env" "memory" (memory 0))\n' +
            dispatch(cases, in_stride, store, params) + ")")


# Instructions that turn a value of a type on the stack into its bits as an i64.
TO_BITS = {"i32": "i64.extend_i32_u", "i64": "", "f32": "i32.reinterpret_f32 i64.extend_i32_u",
           "f64": "i64.reinterpret_f64"}


def runner_text(module, cases, in_stride, stride, slot):
    """The module with the kernel that runs the cases. The code shared by every case (loading the
    arguments, storing the results' bits) is written once, so that a kernel of 256 cases stays
    small: the CUDA driver compiles its PTX on the GPU machine, in the GPU check's minutes."""
    fields = module[1:]
    head = "(module"
    if fields and isinstance(fields[0], str):
        head += " " + fields[0]
        fields = fields[1:]
    body = [head, '(import "env" "memory" (memory 0))']
    body += [text_of(f) for f in fields]
    arg_types = sorted({(a, arg_type(arg)) for case in cases for a, arg in enumerate(case["args"])})
    results = max(len(case["types"]) for case in cases)
    # A result's bits go to a local of the slot's type: an i64, or in a kernel of 16-byte slots a
    # v128 (a scalar result's bits in both halves).
    slot_type = "v128" if slot == 16 else "i64"
    decl = " ".join(f"(local $x{a}_{t} {t})" for a, t in arg_types)
    decl += " " + " ".join(f"(local $r{s} {slot_type})" for s in range(results))
    prologue = (f"(local.set $a (i32.add (local.get $p1) (i32.mul (local.get $i) "
                f"(i32.const {in_stride}))))")
    prologue += "".join(f" (local.set $x{a}_{t} ({t}.load offset={slot * a} (local.get $a)))"
                        for a, t in arg_types)
    epilogue = " ".join(f"({slot_type}.store offset={slot * s} (local.get $o) (local.get $r{s}))"
                        for s in range(results))

    def call(c, case):
        args = " ".join(f"(local.get $x{a}_{arg_type(arg)})" for a, arg in enumerate(case["args"]))
        code = f"(call {case['fn']} {args})"
        for s in reversed(range(len(case["types"]))):
            t = value_type(case["types"][s])
            to_slot = "" if t == "v128" else TO_BITS[t] + (" i64x2.splat" if slot == 16 else "")
            code += f" {to_slot} (local.set $r{s})".replace("  ", " ")
        return code

    params = ("(param $p0 i32) (param $p0_len i32) (param $p1 i32) (param $p1_len i32) "
              "(local $o i32) (local $a i32) " + decl)
    body.append(dispatch(cases, stride, call, params, prologue, epilogue))
    return "\n".join(body) + ")"


def kernels_of(path):
    script = parse(open(path).read())
    out = []
    module, funcs = None, None
    pending = {}  # function index -> {"returns": [...], "traps": [...]}

    def flush():
        if module is None or funcs is None:
            return
        returns, traps = [], []
        for fn in funcs:
            got = pending.get(fn.index)
            if got and runnable(funcs, fn):
                returns += got["returns"]
                traps += got["traps"]
        returns.sort(key=lambda c: c["line"])
        traps.sort(key=lambda c: c["line"])
        for kind, all_cases in (("returns", returns), ("traps", traps)):
            for simd in (False, True):
                cases = [c for c in all_cases if has_v128(c) == simd]
                slot = 16 if simd else 8
                per_kernel = CASES_PER_SIMD_KERNEL if simd else CASES_PER_KERNEL
                for start in range(0, len(cases), per_kernel):
                    chunk = cases[start:start + per_kernel]
                    stride = slot * max(1, max(len(c["types"]) for c in chunk))
                    in_stride = slot * max(1, max(len(c["args"]) for c in chunk))
                    out.append({
                        "name": f"{os.path.basename(path)}:{module.line}, lines {chunk[0]['line']}-{chunk[-1]['line']}",
                        "writer": writer_text(chunk, in_stride, slot),
                        "wat": runner_text(module, chunk, in_stride, stride, slot),
                        "in_stride": in_stride,
                        "returns": len(chunk) if kind == "returns" else 0,
                        "traps": len(chunk) if kind == "traps" else 0,
                        "stride": stride,
                        "slot": slot,
                        "cases": chunk,
                    })

    for form in script:
        if not isinstance(form, list) or not form:
            continue
        if form[0] == "module":
            flush()
            module, funcs, pending = form, module_functions(form), {}
            continue
        if form[0] not in ("assert_return", "assert_trap") or funcs is None:
            continue
        action = form[1]
        if not isinstance(action, list) or action[0] != "invoke" or not action[1].startswith('"'):
            continue
        name = action[1].strip('"')
        fn = next((f for f in funcs if name in f.exports), None)
        if fn is None:
            continue
        args = action[2:]
        if any(const_value(a) is None for a in args):
            continue
        if form[0] == "assert_return":
            results = form[2:]
            types = [const_value(r) for r in results]
            if any(t is None for t in types):
                continue
            kind = "returns"
        else:
            types = []
            kind = "traps"
        entry = pending.setdefault(fn.index, {"returns": [], "traps": []})
        entry[kind].append({"line": form.line, "fn": fn.index, "args": [text_of(a) for a in args],
                            "types": types})
    flush()
    return out


def main():
    header, wasts = sys.argv[1], sys.argv[2:]
    kernels = []
    for w in sorted(wasts):
        kernels += kernels_of(w)
    lines = ["// Generated by tests/unit/cuda/wast_kernels.py from tests/wast/*.wast: do not edit.",
             "#pragma once", "", "namespace wast_gpu {", "",
             "struct WastCase {", "  int line;          // of the assertion", "  const char *types; // of its results, comma-separated", "};",
             "struct WastKernel {", "  const char *name; // file:line of the function, and its export",
             "  const char *writer; // kernel(i, n, block, args): stores case i's arguments",
             "  const char *runner; // kernel(i, n, block, results, args): runs case i",
             "  const WastCase *cases; // assert_returns or assert_traps",
             "  unsigned returns, traps;",
             "  unsigned stride, argStride; // bytes of results, of arguments, per case",
             "  unsigned slot; // bytes per result and per argument: 8, or 16 with v128 values", "};", ""]
    for n, k in enumerate(kernels):
        cases = ", ".join(
            '{%d, "%s"}' % (c["line"], ",".join(c["types"])) for c in k["cases"])
        lines.append(f"inline constexpr WastCase kCases{n}[] = {{{cases}}};")
    lines.append("")
    lines.append("inline constexpr WastKernel kKernels[] = {")
    for n, k in enumerate(kernels):
        assert ")PWWAT\"" not in k["wat"] + k["writer"]
        lines.append(f'    {{"{k["name"]}", R"PWWAT({k["writer"]})PWWAT",\n     R"PWWAT({k["wat"]})PWWAT",\n'
                     f'     kCases{n}, {k["returns"]}, {k["traps"]}, {k["stride"]}, {k["in_stride"]}, {k["slot"]}}},')
    lines.append("};")
    lines.append("")
    lines.append("} // namespace wast_gpu")
    text = "\n".join(lines) + "\n"
    if not os.path.exists(header) or open(header).read() != text:
        with open(header, "w") as f:
            f.write(text)
    total = sum(k["returns"] + k["traps"] for k in kernels)
    print(f"wast_kernels.py: {len(kernels)} kernels, {total} assertions")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Engine benchmark: the same C workloads as native -O2, under parawasm and under node (V8).

Usage: bench/engine/run.py [--reps N] [--quick] [--only workloads|kernels] [--parawasm PATH]
                           [--out DIR]

Two tables. `workloads` (workloads.c) as before. `kernels` (kernels.c, PRK-style) built the way
users build: clang --target=wasm32 -O2/-O3, with and without -msimd128 (clang unrolls and
interleaves the inner loops), against gcc -O3 -march=native of the same C (the goal) and clang -O3
-march=native (LLVM's own native code, a peer).

Every workload runs in all three engines, interleaved, REPS times; the table shows medians of
wall-clock seconds (whole process, code cache warm) and the ratios parawasm/native and
node/parawasm taken from the same run. Compile times are for the whole workload module, cold
(--no-cache) and from the code cache.
"""
import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Sizes chosen so that native runs take roughly half a second on the 2-core reference machine.
WORKLOADS = {"matmul": 1500, "hash": 8000, "nbody": 16000000, "interp": 150000000}
QUICK = {"matmul": 20, "hash": 100, "nbody": 200000, "interp": 4000000}
# Iterations chosen so that gcc -O3 -march=native takes roughly 0.3-0.8 s on the reference machine.
KERNELS = {"nstream": 20, "dgemm": 20, "stencil": 20, "transpose": 6, "sha256": 60}
KERNELS_QUICK = {"nstream": 1, "dgemm": 1, "stencil": 1, "transpose": 1, "sha256": 1}
KERNEL_BUILDS = [("O2", ["-O2"]), ("O2 simd", ["-O2", "-msimd128"]), ("O3", ["-O3"]),
                 ("O3 simd", ["-O3", "-msimd128"])]


def run(cmd, env=None):
    start = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"command failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    return elapsed, p.stdout.strip(), p.stderr


def build(out):
    os.makedirs(out, exist_ok=True)
    src = os.path.join(HERE, "workloads.c")
    wasm = os.path.join(out, "workloads.wasm")
    native = os.path.join(out, "workloads-native")
    native_host = os.path.join(out, "workloads-native-host")
    subprocess.run(["clang", "--target=wasm32", "-O2", "-nostdlib", "-Wl,--no-entry", "-o", wasm, src],
                   check=True)
    main_c = os.path.join(HERE, "native_main.c")
    subprocess.run(["clang", "-O2", "-o", native, src, main_c, "-lm"], check=True)
    # The JIT compiles for the host CPU; this column shows native code given the same freedom
    # (without FMA contraction, which Wasm semantics forbid and which changes nbody's result).
    subprocess.run(["clang", "-O2", "-march=native", "-ffp-contract=off", "-o", native_host, src, main_c, "-lm"], check=True)
    return wasm, native, native_host


def build_kernels(out):
    os.makedirs(out, exist_ok=True)
    src = os.path.join(HERE, "kernels.c")
    wasms = {}
    for label, flags in KERNEL_BUILDS:
        wasm = os.path.join(out, "kernels-" + label.replace(" ", "-") + ".wasm")
        subprocess.run(["clang", "--target=wasm32", *flags, "-nostdlib", "-Wl,--no-entry", "-o", wasm, src],
                       check=True)
        wasms[label] = wasm
    native = os.path.join(out, "kernels-gcc-native")
    subprocess.run(["gcc", "-O3", "-march=native", "-o", native, src, os.path.join(HERE, "kernels_main.c")],
                   check=True)
    # LLVM's own native code of the same C: what parawasm's optimiser could reach without Wasm's
    # constraints (gcc also unrolls-and-jams loop nests, which LLVM's pipeline does not).
    clang_native = os.path.join(out, "kernels-clang-native")
    subprocess.run(["clang", "-O3", "-march=native", "-o", clang_native, src,
                    os.path.join(HERE, "kernels_main.c")], check=True)
    return wasms, native, clang_native


def run_kernels(args, env):
    sizes = KERNELS_QUICK if args.quick else KERNELS
    wasms, native, clang_native = build_kernels(args.out)
    for wasm in wasms.values():  # fill the code cache: the table is about running, not compiling
        run([args.parawasm, "run", "--invoke", "sha256", wasm, "0"], env)
    rows = []
    for name, n in sizes.items():
        times = {"native": [], "clang": [], **{label: [] for label in wasms}}
        outputs = {}
        for _ in range(args.reps):
            t, outputs["native"], _ = run([native, name, str(n)], env)
            times["native"].append(t)
            t, outputs["clang"], _ = run([clang_native, name, str(n)], env)
            times["clang"].append(t)
            for label, wasm in wasms.items():
                t, outputs[label], _ = run([args.parawasm, "run", "--invoke", name, wasm, str(n)], env)
                times[label].append(t)
        ref = float(outputs["native"])
        for label in [*wasms, "clang"]:  # gcc contracts to FMA, Wasm may not: allow rounding differences
            if abs(float(outputs[label]) - ref) > 1e-9 * max(1.0, abs(ref)):
                sys.exit(f"{name}: parawasm {label} returned {outputs[label]}, native {outputs['native']}")
        med = {k: statistics.median(v) for k, v in times.items()}
        rows.append({"kernel": name, "iters": n, **{f"{k}_s": v for k, v in med.items()},
                     **{f"{k}_over_native": med[k] / med["native"] for k in wasms},
                     **{f"{k}_over_clang": med[k] / med["clang"] for k in wasms}})
    labels = list(wasms)
    lines = ["| kernel | gcc -O3 -march=native s | clang -O3 -march=native s | " +
             " | ".join(f"parawasm {l} s" for l in labels) + " | " +
             " | ".join(f"{l} / gcc" for l in labels) + " | best / gcc | best / clang |",
             "|---|---|---|" + "---|" * (2 * len(labels) + 2)]
    for r in rows:
        best = min(r[f"{l}_over_native"] for l in labels)
        best_clang = min(r[f"{l}_over_clang"] for l in labels)
        lines.append(f"| {r['kernel']} ({r['iters']} iters) | {r['native_s']:.3f} | {r['clang_s']:.3f} | " +
                     " | ".join(f"{r[l + '_s']:.3f}" for l in labels) + " | " +
                     " | ".join(f"{r[l + '_over_native']:.2f}x" for l in labels) +
                     f" | {best:.2f}x | {best_clang:.2f}x |")
    table = "\n".join(lines)
    print(table)
    with open(os.path.join(args.out, "kernels.json"), "w") as f:
        json.dump({"machine": platform.uname()._asdict(), "cpus": os.cpu_count(), "reps": args.reps,
                   "rows": rows}, f, indent=2)
    with open(os.path.join(args.out, "kernels.md"), "w") as f:
        f.write(table + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--parawasm", default=os.path.join(ROOT, "build", "parawasm"))
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench-engine"))
    ap.add_argument("--only", choices=["workloads", "kernels"])
    args = ap.parse_args()
    cache = tempfile.mkdtemp(prefix="parawasm-bench-cache-")
    env = dict(os.environ, PARAWASM_CACHE_DIR=cache)
    if args.only != "workloads":
        run_kernels(args, env)
    if args.only == "kernels":
        return
    sizes = QUICK if args.quick else WORKLOADS
    wasm, native, native_host = build(args.out)
    node = ["node", os.path.join(HERE, "node_runner.mjs")]

    def compile_ms(extra):
        _, _, err = run([args.parawasm, "run", "--verbose", *extra, "--invoke", "interp", wasm, "1"], env)
        m = re.search(r"in ([0-9.]+) ms", err)
        return float(m.group(1)) if m else float("nan")

    cold = statistics.median(compile_ms(["--no-cache"]) for _ in range(3))
    compile_ms([])  # fills the cache
    cached = statistics.median(compile_ms([]) for _ in range(3))

    rows = []
    for name, n in sizes.items():
        times = {"native": [], "native_host": [], "parawasm": [], "node": []}
        outputs = {}
        for _ in range(args.reps):
            for engine, cmd in (("native", [native, name, str(n)]),
                                ("native_host", [native_host, name, str(n)]),
                                ("parawasm", [args.parawasm, "run", "--invoke", name, wasm, str(n)]),
                                ("node", node + [wasm, name, str(n)])):
                t, out, _ = run(cmd, env)
                times[engine].append(t)
                outputs[engine] = out
        # Results must agree (node prints doubles in its own way: compare numerically).
        ref = float(outputs["native"])
        for engine in ("native_host", "parawasm", "node"):
            if abs(float(outputs[engine]) - ref) > 1e-9 * max(1.0, abs(ref)):
                sys.exit(f"{name}: {engine} returned {outputs[engine]}, native {outputs['native']}")
        med = {k: statistics.median(v) for k, v in times.items()}
        rows.append({"workload": name, "n": n, **{f"{k}_s": v for k, v in med.items()},
                     "parawasm_over_native": med["parawasm"] / med["native"],
                     "parawasm_over_native_host": med["parawasm"] / med["native_host"],
                     "node_over_parawasm": med["node"] / med["parawasm"]})

    lines = ["| workload | native -O2 s | native -O2 -march=native s | parawasm s | node s | "
             "parawasm / native | parawasm / native (-march=native) | node / parawasm |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['workload']} (n={r['n']}) | {r['native_s']:.3f} | {r['native_host_s']:.3f} | "
                     f"{r['parawasm_s']:.3f} | {r['node_s']:.3f} | {r['parawasm_over_native']:.2f}x | "
                     f"{r['parawasm_over_native_host']:.2f}x | {r['node_over_parawasm']:.2f}x |")
    lines.append("")
    lines.append(f"Compile time of workloads.wasm ({os.path.getsize(wasm)} bytes): "
                 f"cold {cold:.1f} ms, from cache {cached:.1f} ms (medians of 3).")
    table = "\n".join(lines)
    print(table)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump({"machine": platform.uname()._asdict(), "cpus": os.cpu_count(), "reps": args.reps,
                   "rows": rows, "compile_ms": {"cold": cold, "cached": cached}}, f, indent=2)
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(table + "\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The cost of interruption (issue 12) on the engine benchmark.

Interruption costs compiled code nothing (src/runtime/interrupt.h): no poll is emitted, an
interrupt signals the guest's threads. What is left to measure is the runtime's side of it
(callGuarded's bookkeeping). This script compares `--parawasm` (interruptible, the default) with
`--baseline` (another build) run with `--baseline-flags` — e.g. a build from before that change,
which compiled polls, with and without `-W epoch-interruption=n`.

Runs every workload of workloads.c and the kernels of kernels.c (clang -O2, and -O3 -msimd128)
in both, interleaved, --reps times each, and prints the medians of each process's CPU time (user + system, from
wait4), less the median CPU time of a run with n = 1 (start-up, loading cached code, exit). CPU time rather than wall time because this machine is shared: other jobs stretch wall
time far more than they stretch the CPU time of a single-threaded run.

    bench/engine/interrupt_cost.py --baseline OTHER/parawasm [--baseline-flags=-W,epoch-interruption=n]
                                   [--reps N] [--parawasm build/parawasm]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# Ten times bench/engine/run.py's sizes (matmul, kernels) or its sizes: start-up must not dominate.
WORKLOADS = {"matmul": 15000, "hash": 8000, "nbody": 16000000, "interp": 150000000}
KERNELS = {"nstream": 200, "dgemm": 200, "stencil": 200, "transpose": 60, "sha256": 600}


def cpu_seconds(cmd, env):
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(p.pid, 0)
    out = p.stdout.read().decode().strip()
    p.stdout.close()
    p.stderr.close()
    if status != 0:
        sys.exit(f"failed: {' '.join(cmd)}")
    return usage.ru_utime + usage.ru_stime, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--parawasm", default=os.path.join(ROOT, "build", "parawasm"))
    ap.add_argument("--baseline", required=True, help="the parawasm binary to compare with")
    ap.add_argument("--baseline-flags", default="", help="comma-separated flags for it")
    args = ap.parse_args()
    out = tempfile.mkdtemp(prefix="pw-interrupt-cost-")
    env = dict(os.environ, PARAWASM_CACHE_DIR=os.path.join(out, "cache"))
    modules = []
    wasm = os.path.join(out, "workloads.wasm")
    subprocess.run(["clang", "--target=wasm32", "-O2", "-nostdlib", "-Wl,--no-entry", "-o", wasm,
                    os.path.join(HERE, "workloads.c")], check=True)
    modules += [(wasm, "", name, n) for name, n in WORKLOADS.items()]
    for label, flags in (("O2", ["-O2"]), ("O3 simd", ["-O3", "-msimd128"])):
        wasm = os.path.join(out, "kernels-" + label.replace(" ", "-") + ".wasm")
        subprocess.run(["clang", "--target=wasm32", *flags, "-nostdlib", "-Wl,--no-entry", "-o",
                        wasm, os.path.join(HERE, "kernels.c")], check=True)
        modules += [(wasm, label, name, n) for name, n in KERNELS.items()]
    extra = [f for f in args.baseline_flags.split(",") if f]
    variants = {"this": [args.parawasm], "baseline": [args.baseline, *extra]}
    print("| workload | n | CPU s this build | CPU s baseline | start-up CPU s | this / baseline |")
    print("|---|---|---|---|---|---|")
    costs = []
    for wasm, label, name, n in modules:
        for cmd in variants.values():  # fill the code cache: this measures running
            cpu_seconds([cmd[0], "run", *cmd[1:], "--invoke", name, wasm, "1"], env)
        times = {v: [] for v in variants}
        startup = []
        results = set()
        for _ in range(args.reps):
            for v, cmd in variants.items():
                t, r = cpu_seconds([cmd[0], "run", *cmd[1:], "--invoke", name, wasm, str(n)], env)
                times[v].append(t)
                results.add(r)
            # The process's own cost (start-up, loading the cached code, exit): a run with n = 1.
            startup.append(cpu_seconds([args.parawasm, "run", "--invoke", name, wasm, "1"], env)[0])
        if len(results) != 1:
            sys.exit(f"{name}: results differ: {results}")
        w, wo = statistics.median(times["this"]), statistics.median(times["baseline"])
        s = statistics.median(startup)
        # The cost in the workload itself, start-up taken off both sides.
        cost = (w - s) / (wo - s) - 1
        costs.append(cost)
        title = f"{name} ({label})" if label else name
        print(f"| {title} | {n} | {w:.3f} | {wo:.3f} | {s:.3f} | {100 * cost:+.1f} % |",
              flush=True)
    geo = statistics.geometric_mean([1 + c for c in costs]) - 1
    print(f"\nGeometric mean: {100 * geo:+.2f} % ({args.reps} interleaved runs each)")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Cost of checked kernels (`-W parallel-check-buffers`, docs/limits.md "Checked kernels").

Usage: bench/kernels/checked_cost.py [--build-dir DIR] [--reps N] [--size SIZE] [--iters N]
                                     [--device HINT] [--threads T] [KERNEL...]

Runs each PRK wasi-parallel guest (build/bench/wasm/prk_<k>_wp.wasm) with and without the option,
interleaved, --reps times, and prints per kernel the median of the timed region (the RESULT
line's `seconds`) of each mode and the median of the per-repetition ratios checked / unchecked.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

KERNELS = ["nstream", "transpose", "stencil", "dgemm", "p2p", "reduce", "sparse"]


def run(cli, wasm, args, checked, threads):
    cmd = [cli, "run"]
    if checked:
        cmd += ["-W", "parallel-check-buffers"]
    if threads:
        cmd += ["--threads", str(threads)]
    cmd += [wasm] + args
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    m = re.search(r"RESULT .* seconds=([0-9.e+-]+) .* valid=1", out.stdout)
    if out.returncode or not m:
        sys.exit("failed: %s\n%s%s" % (" ".join(cmd), out.stdout, out.stderr))
    return float(m.group(1))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build-dir", default="build")
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--size", default="small")
    p.add_argument("--iters", type=int, default=10)
    p.add_argument("--device", default="sequential")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("kernels", nargs="*", default=KERNELS)
    a = p.parse_args()
    cli = os.path.join(a.build_dir, "parawasm")
    print("| kernel | unchecked s | checked s | checked / unchecked |")
    print("|---|---|---|---|")
    for k in a.kernels:
        wasm = os.path.join(a.build_dir, "bench", "wasm", "prk_%s_wp.wasm" % k)
        args = [a.size, str(a.iters), a.device] # prk_<k>_wp [SIZE] [ITERATIONS] [DEVICE]
        plain, checked, ratios = [], [], []
        for _ in range(a.reps):
            u = run(cli, wasm, args, False, a.threads)
            c = run(cli, wasm, args, True, a.threads)
            plain.append(u)
            checked.append(c)
            ratios.append(c / u)
        print("| %s | %.4f | %.4f | %.2f |" % (k, statistics.median(plain),
                                              statistics.median(checked),
                                              statistics.median(ratios)), flush=True)


if __name__ == "__main__":
    main()

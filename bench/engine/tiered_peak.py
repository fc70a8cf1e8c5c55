#!/usr/bin/env python3
"""Peak speed after a tier-up: the engine workloads run on eager -O2 code (from the code cache)
and on the steady state of a tiered start ($PARAWASM_TIERED=1 with $PARAWASM_TIER_WAIT=1, no
cache: the module's functions reached through their stubs, -O2 bodies), interleaved; medians of
the time after the compile (whole-process wall minus the compile time `--verbose` reports).
See bench/README.md ("Start-up").

  bench/engine/tiered_peak.py [--reps 3] [--workloads matmul,hash,nbody,interp] [--parawasm PATH]
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import run as engine  # noqa: E402  (the workloads, their sizes and how they are built)


def timed(cmd, env):
    start = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"tiered_peak.py: failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    m = re.search(r"in ([0-9.]+) ms", p.stderr)
    return wall - (float(m.group(1)) / 1e3 if m else 0), p.stdout.strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--workloads", default=",".join(engine.WORKLOADS))
    ap.add_argument("--parawasm", default=os.path.join(ROOT, "build", "parawasm"))
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench", "engine"))
    a = ap.parse_args()
    wasm = engine.build(a.out)[0]
    cache = tempfile.mkdtemp(prefix="pw-tiered-peak-")
    eager = dict(os.environ, PARAWASM_TIERED="0", PARAWASM_LAZY="0", PARAWASM_CACHE_DIR=cache)
    tiered = dict(os.environ, PARAWASM_TIERED="1", PARAWASM_TIER_WAIT="1", PARAWASM_LAZY="0")
    lines = [f"Peak speed, seconds after the compile, median of {a.reps} interleaved runs", "",
             "| workload | eager -O2 (cached) | tiered, after tier-up | tiered / eager |",
             "|---|--:|--:|--:|"]
    try:
        for name in a.workloads.split(","):
            n = str(engine.WORKLOADS[name])
            base = [a.parawasm, "run", "--verbose", "--invoke", name]
            timed(base + [wasm, n], eager)  # fills the cache
            samples = {"eager": [], "tiered": []}
            outputs = set()
            for rep in range(a.reps):
                order = ["eager", "tiered"] if rep % 2 == 0 else ["tiered", "eager"]
                for k in order:
                    cmd = base + ([wasm, n] if k == "eager" else ["--no-cache", wasm, n])
                    t, out = timed(cmd, eager if k == "eager" else tiered)
                    samples[k].append(t)
                    outputs.add(out)
                    print(f"{name} {k} rep {rep + 1}: {t:.3f} s", file=sys.stderr)
            if len(outputs) != 1:
                sys.exit(f"tiered_peak.py: {name}: results differ: {outputs}")
            e, t = statistics.median(samples["eager"]), statistics.median(samples["tiered"])
            lines.append(f"| {name} | {e:.3f} | {t:.3f} | {t / e:.2f} |")
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    print("\n".join(lines))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Start-up benchmark: whole-process time of running a freshly generated, import-free module
under parawasm and under node, interleaved, medians. See bench/README.md ("Start-up").

  bench/startup/run.py [--sizes 130000,1300000] [--reps 3] [--entry run|run_all]
                       [--skip COLUMN,...] [--parawasm build/parawasm] [--baseline OTHER]
                       [--out DIR]

Columns: eager (-O2, no code cache, $PARAWASM_TIERED=0: the default cold start below 128 KiB of
code), lazy ($PARAWASM_LAZY=1: the fast tier on first call, no tier-up, no code cache), tiered
($PARAWASM_TIERED=1: lazy, and a background -O2 compile takes over; no code cache; the default
from 128 KiB of code), warm (-O2
from the code cache, which a tiered run that waited for its tier-up filled), O0 (the fast tier,
eager, no code cache), node. --baseline OTHER adds each parawasm column again for another build
(say, of the commit before a change), as "COLUMN@base", in the same interleaved rounds.
"""
import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def timed(cmd, env=None):
    """Wall and CPU (user + system) seconds of one process, and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"run.py: failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, p.stdout.strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="130000,1300000",
                    help="module sizes in bytes, comma-separated (default 130000,1300000)")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--entry", default="run", choices=["run", "run_all"],
                    help="run: calls every 16th function (default); run_all: every function")
    ap.add_argument("--parawasm", default=os.path.join(ROOT, "build", "parawasm"))
    ap.add_argument("--baseline", help="another parawasm build, measured in the same rounds")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench", "startup"))
    ap.add_argument("--skip", default="",
                    help="columns to leave out: eager,lazy,tiered,warm,O0,node")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    node = shutil.which("node")
    runner = os.path.join(HERE, "node_runner.mjs")
    cache = tempfile.mkdtemp(prefix="pw-startup-cache-")
    baseCache = tempfile.mkdtemp(prefix="pw-startup-cache-base-")
    rows = []
    try:
        for size in [int(s) for s in a.sizes.split(",")]:
            wasm = os.path.join(a.out, f"gen_{size}.wasm")
            subprocess.run([sys.executable, os.path.join(HERE, "gen_module.py"), str(size), wasm],
                           check=True, capture_output=True)
            actual = os.path.getsize(wasm)
            pw = [a.parawasm, "run", "--invoke", a.entry]
            eager = dict(os.environ, PARAWASM_LAZY="0", PARAWASM_TIERED="0")
            lazy = dict(os.environ, PARAWASM_LAZY="1", PARAWASM_TIERED="0")
            tiered = dict(os.environ, PARAWASM_LAZY="0", PARAWASM_TIERED="1")
            configs = {
                "eager": lambda: timed(pw + ["--no-cache", wasm], eager),
                "lazy": lambda: timed(pw + ["--no-cache", wasm], lazy),
                "tiered": lambda: timed(pw + ["--no-cache", wasm], tiered),
                "warm": lambda: timed(pw + ["--cache-dir", cache, wasm], eager),
                "O0": lambda: timed(pw + ["--no-cache", "-O0", wasm], eager),
            }
            if node:
                configs["node"] = lambda: timed([node, runner, wasm, a.entry])
            for k in a.skip.split(","):
                configs.pop(k, None)
            if a.baseline:
                base = [a.baseline, "run", "--invoke", a.entry]
                flags = {"eager": (["--no-cache"], eager), "lazy": (["--no-cache"], lazy),
                         "tiered": (["--no-cache"], tiered), "O0": (["--no-cache", "-O0"], eager),
                         "warm": (["--cache-dir", baseCache], eager)}
                for k in [k for k in list(configs) if k in flags]:
                    extra, env = flags[k]
                    configs[k + "@base"] = (lambda extra=extra, env=env:
                                            timed(base + extra + [wasm], env))
                if "warm@base" in configs:
                    timed(base + ["--cache-dir", baseCache, wasm],
                          dict(tiered, PARAWASM_TIER_WAIT="1"))
            if "warm" in configs:  # the tier-up fills the cache with -O2 code
                timed(pw + ["--cache-dir", cache, wasm], dict(tiered, PARAWASM_TIER_WAIT="1"))
            samples = {k: [] for k in configs}
            outputs = {}
            names = list(configs)
            for rep in range(a.reps):
                for k in names[rep % len(names):] + names[:rep % len(names)]:
                    wall, cpu, out = configs[k]()
                    samples[k].append((wall, cpu))
                    outputs[k] = out
                    print(f"{size} {k} rep {rep + 1}: {wall:.3f} s wall, {cpu:.3f} s cpu",
                          file=sys.stderr)
            if len(set(outputs.values())) != 1:
                sys.exit(f"run.py: results differ: {outputs}")
            row = {"size": actual, "entry": a.entry, "result": outputs[names[0]]}
            for k, v in samples.items():
                row[k] = {"wall": statistics.median(w for w, _ in v),
                          "cpu": statistics.median(c for _, c in v),
                          "samples": v}
            rows.append(row)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(baseCache, ignore_errors=True)

    kinds = ("eager", "lazy", "tiered", "warm", "O0")
    order = [c for k in kinds for c in (k, k + "@base")] + ["node"]
    cols = [k for k in order if k in rows[0]]
    ratios = ([k for k in order if k in cols and k.split("@")[0] in kinds[:4]]
              if "node" in cols else [])
    lines = [f"Start-up, `--invoke {a.entry}`: whole-process seconds, median of {a.reps} "
             "interleaved runs, wall (cpu = user + system)", "",
             "| module | " + " | ".join(cols) + "".join(f" | {k} / node" for k in ratios) + " |",
             "|---|" + "--:|" * (len(cols) + len(ratios))]
    for r in rows:
        cells = [f"{r[k]['wall']:.3f} ({r[k]['cpu']:.3f})" for k in cols]
        cells += [f"{r[k]['wall'] / r['node']['wall']:.1f} ({r[k]['cpu'] / r['node']['cpu']:.1f})"
                  for k in ratios]
        lines.append(f"| {r['size'] / 1000:.0f} KB | " + " | ".join(cells) + " |")
    text = "\n".join(lines) + "\n"
    print(text)
    with open(os.path.join(a.out, "results.md"), "w") as f:
        f.write(text)
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump({"load": os.getloadavg(), "rows": rows}, f, indent=2)


if __name__ == "__main__":
    main()

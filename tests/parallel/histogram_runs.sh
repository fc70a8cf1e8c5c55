#!/usr/bin/env bash
# histogram_runs.sh PARAWASM GUEST KERNEL_WASM RUNS: the kernel must use real atomics, and the
# histogram must be exact in RUNS of RUNS runs on --device cpu --threads 4 (issue 16).
set -u
pw=$1 guest=$2 kernel=$3 runs=$4
wasm-objdump -d "$kernel" | grep -q 'i32.atomic.rmw.add' ||
  { echo "FAIL: $kernel has no i32.atomic.rmw.add: the SDK did not build it with -matomics"; exit 1; }
exact=0
for ((r = 1; r <= runs; r++)); do
  out=$("$pw" run --device cpu --threads 4 "$guest" 1 2>&1)
  if [ "$out" = "histogram: exact" ]; then exact=$((exact + 1)); else echo "run $r: $out"; fi
done
echo "$exact of $runs runs exact"
[ "$exact" = "$runs" ]

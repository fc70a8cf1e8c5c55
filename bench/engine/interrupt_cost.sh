#!/usr/bin/env bash
# The cost of the interrupt polls (issue 12): instructions executed by each engine workload and
# kernel with the polls (the default) and without them (-W epoch-interruption=n), counted by
# callgrind, so the figure does not depend on the machine's load.
#   bench/engine/interrupt_cost.sh [PARAWASM]      (default build/parawasm)
# Prints one row per workload: Ir with polls, Ir without, and the difference in percent. Each
# process's fixed start-up (a run of the same export with n=0... or the smallest size) is
# subtracted, so the percentage is that of the workload itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
pw=${1:-build/parawasm}
out=${TMPDIR:-/tmp}/pw-interrupt-cost
mkdir -p "$out"
export PARAWASM_CACHE_DIR=$out/cache
clang --target=wasm32 -O2 -nostdlib -Wl,--no-entry -o "$out/workloads.wasm" bench/engine/workloads.c
clang --target=wasm32 -O2 -nostdlib -Wl,--no-entry -o "$out/kernels-O2.wasm" bench/engine/kernels.c
clang --target=wasm32 -O3 -msimd128 -nostdlib -Wl,--no-entry -o "$out/kernels-O3-simd.wasm" \
  bench/engine/kernels.c
ir() { # ir FLAGS... -- prints callgrind's total instruction count of `parawasm run FLAGS...`
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$pw" run "$@" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
printf '| workload | n | Ir with polls | Ir without | start-up Ir | polls cost |\n|---|---|---|---|---|---|\n'
row() { # row WASM NAME N
  local wasm=$1 name=$2 n=$3
  "$pw" run --invoke "$name" "$wasm" 1 >/dev/null # fill the cache, both variants
  "$pw" run -W epoch-interruption=n --invoke "$name" "$wasm" 1 >/dev/null
  local base with without
  base=$(ir --invoke "$name" "$wasm" 0)
  with=$(ir --invoke "$name" "$wasm" "$n")
  without=$(ir -W epoch-interruption=n --invoke "$name" "$wasm" "$n")
  python3 -c "b,w,o=$base,$with,$without; print(f'| $name | $n | {w} | {o} | {b} | {100*(w-o)/(o-b):+.2f} % |')"
}
row "$out/workloads.wasm" matmul 60
row "$out/workloads.wasm" hash 400
row "$out/workloads.wasm" nbody 1000000
row "$out/workloads.wasm" interp 10000000
for k in kernels-O2 kernels-O3-simd; do
  row "$out/$k.wasm" nstream 1
  row "$out/$k.wasm" dgemm 1
  row "$out/$k.wasm" stencil 1
  row "$out/$k.wasm" sha256 2
done

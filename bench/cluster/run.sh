#!/usr/bin/env bash
# bench/cluster/run.sh [ORDER] [ITERATIONS] [ROUNDS]: the PRK dgemm (wasi-parallel variant) on the
# cluster device with 1, 2 and 3 MPI ranks of this machine, one thread each, against the cpu
# device with one thread; ROUNDS interleaved rounds, medians reported. Also the bytes the cluster
# moved per exec (from --verbose). Needs a build (build/) and Open MPI's mpirun.
set -euo pipefail
cd "$(dirname "$0")/../.."
order=${1:-500} iterations=${2:-10} rounds=${3:-3}
wasm=build/bench/wasm/prk_dgemm_wp.wasm
[[ -f $wasm ]] || { echo "build first: $wasm is missing" >&2; exit 1; }
command -v mpirun >/dev/null || { echo "needs mpirun (apt-get install openmpi-bin)" >&2; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
field() { grep -o "$1=[^ ]*" "$2" | head -1 | cut -d= -f2; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
configs=(cpu1 ranks1 ranks2 ranks3)
for ((r = 0; r < rounds; r++)); do
  for c in "${configs[@]}"; do
    if [[ $c == cpu1 ]]; then
      build/parawasm run --threads 1 "$wasm" "$order" "$iterations" cpu >"$tmp/out" 2>&1
    else
      mpirun -np "${c#ranks}" build/parawasm run --device cluster --threads 1 --verbose \
        "$wasm" "$order" "$iterations" cpu >"$tmp/out" 2>&1
    fi
    grep -q "Solution validates" "$tmp/out" || { echo "$c did not validate:"; cat "$tmp/out"; exit 1; }
    field avg "$tmp/out" >>"$tmp/$c.avg"
    if [[ $c != cpu1 ]]; then
      line=$(grep "parawasm: cluster: .* launches" "$tmp/out")
      read -r launches sent received < <(echo "$line" | awk '{print $3, $5, $10}')
      echo "$launches $sent $received" >"$tmp/$c.bytes"
    fi
  done
done
echo "dgemm order $order, $iterations iterations (+1 warm-up), $rounds rounds; $(nproc) cores"
printf "%-22s %12s %10s %16s %16s\n" configuration "s/iteration" speedup "sent/exec (B)" "received/exec (B)"
base=$(median <"$tmp/cpu1.avg")
for c in "${configs[@]}"; do
  t=$(median <"$tmp/$c.avg")
  sent=- received=-
  if [[ -f $tmp/$c.bytes ]]; then
    read -r launches s rcv <"$tmp/$c.bytes"
    sent=$((s / launches)) received=$((rcv / launches))
  fi
  name=$c
  [[ $c == cpu1 ]] && name="cpu device, 1 thread"
  [[ $c == ranks* ]] && name="cluster, ${c#ranks} rank(s)"
  printf "%-22s %12.6f %9.2fx %16s %16s\n" "$name" "$t" "$(awk -v b="$base" -v t="$t" 'BEGIN {print b / t}')" "$sent" "$received"
done

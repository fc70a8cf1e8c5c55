#!/usr/bin/env bash
# wasi-parallel on the CPU: launch overhead, nstream and matmul on parawasm's cpu device against
# its sequential device and native C with OpenMP at the same thread count. See README.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

usage() {
  cat <<'EOF'
usage: bench/parallel/run.sh [options]
  --parawasm PATH   parawasm binary (default: $PARAWASM, else build/parawasm)
  --out DIR         where to build the guest and the native program (default: build-bench-parallel)
  --threads "A B"   thread counts to compare (default: "2 <all hardware threads>")
  --quick           small sizes (a smoke test, not a measurement)
  --build-only      build, then stop
  --no-build        use what --out already holds
EOF
}

parawasm=${PARAWASM:-$root/build/parawasm}
out=$root/build-bench-parallel
nproc_all=$(nproc)
threads="2 $nproc_all"
quick=0 build=1 run=1
while (($#)); do
  case $1 in
  --parawasm) parawasm=$2; shift ;;
  --out) out=$2; shift ;;
  --threads) threads=$2; shift ;;
  --quick) quick=1 ;;
  --build-only) run=0 ;;
  --no-build) build=0 ;;
  -h | --help) usage; exit 0 ;;
  *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
threads=$(echo "$threads" | tr ' ' '\n' | awk '!seen[$0]++' | tr '\n' ' ')

# Three builds of the kernels: the SDK's defaults (scalar Wasm, loops unrolled by clang), with
# -fno-unroll-loops (rolled loops, which parawasm's JIT vectorises itself), and with -msimd128
# (clang vectorises the inner loops into Wasm SIMD).
variants="sdk nounroll simd128"
if ((build)); then
  for variant in $variants; do
    dir=$out/$variant flags=()
    [[ $variant == nounroll ]] && flags=(-fno-unroll-loops)
    [[ $variant == simd128 ]] && flags=(-msimd128)
    mkdir -p "$dir"
    for k in empty nstream matmul; do
      "$root/sdk/bin/wp-kernel" --name "bench_$k" -o "$dir/bench_${k}_kernel.h" "${flags[@]}" \
        "$here/kernels/${k}_kernel.c"
    done
    clang --target=wasm32-wasi -O2 -I "$root/sdk/include" -I "$dir" -I "$here" \
      "$here/bench_guest.c" -o "$dir/bench_guest.wasm"
  done
  gcc -O2 -fopenmp -I "$here" "$here/bench_native.c" -o "$out/bench_native"
fi
((run)) || exit 0

if ((quick)); then
  nstream_n=$((1 << 20)) matmul_n=128 reps=3 batches=5
else
  nstream_n=$((1 << 24)) matmul_n=512 reps=10 batches=21
fi
guest=$out/sdk/bench_guest.wasm
native=$out/bench_native

# median_us of the RESULT line a command prints (its checksum goes to $checksum_file).
checksum_file=$(mktemp)
trap 'rm -f "$checksum_file"' EXIT
measure() {
  local line
  line=$("$@" | grep '^RESULT') || { echo "run.sh: failed: $*" >&2; exit 1; }
  echo "$line" >>"$out/results.txt"
  sed -n 's/.*checksum=\([^ ]*\).*/\1/p' <<<"$line" >"$checksum_file"
  sed -n 's/.*median_us=\([^ ]*\).*/\1/p' <<<"$line"
}
wasm() { # wasm DEVICE THREADS ARGS...
  local device=$1 t=$2
  shift 2
  measure "$parawasm" run --device "$device" --threads "$t" "$guest" "$1" "$device" "${@:2}"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

: >"$out/results.txt"
echo "parawasm wasi-parallel CPU benchmark: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $nproc_all hardware threads"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (other processes distort parallel timings)"
echo "medians in microseconds; one run of each configuration; raw RESULT lines in $out/results.txt"
echo "cpu/seq: speedup of the cpu device over the sequential device; cpu/native: time of the cpu"
echo "device divided by native OpenMP's at the same thread count (below 1: parawasm is faster)"
echo

echo "== overhead: one parallel_exec of an empty, cached kernel (median of $batches batches of 1000)"
printf '%-34s %12s %12s\n' "case" "parawasm" "native omp"
seq1=$(wasm sequential 1 overhead 1 "$batches" 1)
printf '%-34s %12s %12s\n' "sequential, 1 iteration" "$seq1" "-"
for t in $threads; do
  cpu1=$(wasm cpu "$t" overhead 1 "$batches" 1)
  omp1=$(OMP_NUM_THREADS=$t measure "$native" overhead 1 "$batches")
  printf '%-34s %12s %12s\n' "cpu $t threads, 1 iteration" "$cpu1" "$omp1"
  n=$((t * 64))
  cpun=$(wasm cpu "$t" overhead "$n" "$batches" 64)
  ompn=$(OMP_NUM_THREADS=$t measure "$native" overhead "$n" "$batches")
  printf '%-34s %12s %12s\n' "cpu $t threads, $n iterations/64" "$cpun" "$ompn"
done
echo

for bench in nstream matmul; do
  if [[ $bench == nstream ]]; then size=$nstream_n block=8192; else size=$matmul_n block=1; fi
  for variant in $variants; do
    guest=$out/$variant/bench_guest.wasm
    echo "== $bench size=$size block=$block, kernels: $variant (median of $reps reps)"
    seq=$(wasm sequential 1 "$bench" "$size" "$reps" "$block")
    seq_sum=$(cat "$checksum_file")
    printf '%-8s %12s %12s %12s %12s %12s  %s\n' threads "sequential" "cpu" "native omp" \
      "cpu/seq" "cpu/native" checksums
    for t in $threads; do
      cpu=$(wasm cpu "$t" "$bench" "$size" "$reps" "$block")
      cpu_sum=$(cat "$checksum_file")
      omp=$(OMP_NUM_THREADS=$t measure "$native" "$bench" "$size" "$reps")
      omp_sum=$(cat "$checksum_file")
      same=$([[ $seq_sum == "$cpu_sum" && $cpu_sum == "$omp_sum" ]] && echo "equal" ||
        echo "DIFFER: $seq_sum $cpu_sum $omp_sum")
      printf '%-8s %12s %12s %12s %11sx %11sx  %s\n' "$t" "$seq" "$cpu" "$omp" \
        "$(ratio "$seq" "$cpu")" "$(ratio "$cpu" "$omp")" "$same"
    done
    echo
  done
done

#!/usr/bin/env bash
# wasi-parallel on an NVIDIA GPU: nstream and matrix multiply on parawasm's GPU device against
# the same algorithms in CUDA C (nvcc), as a percentage of CUDA's performance. See README.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

usage() {
  cat <<'EOF'
usage: bench/gpu/run.sh [options]
  --parawasm PATH   parawasm binary (default: $PARAWASM, else build/parawasm)
  --nvcc PATH       nvcc (default: $NVCC, else nvcc on PATH, else /usr/local/cuda/bin/nvcc)
  --arch SM         build the CUDA programs for SM only (e.g. sm_90); default -arch=native,
                    or sm_80 + sm_90 (+ PTX) when nvcc finds no GPU
  --out DIR         where to build everything (default: build-bench-gpu)
  --kernels KIND    wasi-parallel kernel build: sdk (default), nounroll or simd128
  --rounds N        runs of each program, parawasm and CUDA alternating (default 5)
  --reps N          timed reps inside each run (default 10)
  --quick           small sizes, by default 2 rounds of 3 reps (a smoke test, not a measurement)
  --build-only      build, then stop
  --no-cuda         build the guests only (no nvcc needed)
  --no-build        use what --out already holds
Without a GPU in 'parawasm devices' it builds, says so and exits with status 0.
EOF
}

parawasm=${PARAWASM:-$root/build/parawasm}
nvcc=${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}
out=$root/build-bench-gpu
arch="" kernels=sdk rounds="" reps="" quick=0 build=1 run=1 cuda=1
while (($#)); do
  case $1 in
  --parawasm) parawasm=$2; shift ;;
  --nvcc) nvcc=$2; shift ;;
  --arch) arch=$2; shift ;;
  --out) out=$2; shift ;;
  --kernels) kernels=$2; shift ;;
  --rounds) rounds=$2; shift ;;
  --reps) reps=$2; shift ;;
  --quick) quick=1 ;;
  --build-only) run=0 ;;
  --no-cuda) cuda=0 ;;
  --no-build) build=0 ;;
  -h | --help) usage; exit 0 ;;
  *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
case $kernels in
sdk | nounroll | simd128) ;;
*) echo "run.sh: --kernels must be sdk, nounroll or simd128" >&2; exit 2 ;;
esac
mkdir -p "$out"
out=$(cd "$out" && pwd)

# CUDA programs for the GPU nvcc finds (-arch=native), else for sm_80 and sm_90 with PTX for
# later GPUs. nvcc only warns when -arch=native finds no GPU, so its output is checked.
# --fmad=false: Wasm rounds every multiply and add on its own, and parawasm never fuses them.
build_cuda() {
  local prog=$1 log
  local flags=(-O3 --fmad=false -std=c++17 -I "$here" -I "$here/../parallel")
  if [[ -n $arch ]]; then
    "$nvcc" "${flags[@]}" -arch="$arch" -o "$out/cuda/$prog" "$here/$prog.cu"
    echo "$arch" >"$out/cuda/arch"
    return
  fi
  if log=$("$nvcc" "${flags[@]}" -arch=native -o "$out/cuda/$prog" "$here/$prog.cu" 2>&1) &&
    ! grep -q 'Cannot find valid GPU' <<<"$log"; then
    [[ -z $log ]] || echo "$log" >&2
    echo "native" >"$out/cuda/arch"
    return
  fi
  "$nvcc" "${flags[@]}" -gencode arch=compute_80,code=sm_80 \
    -gencode arch=compute_90,code='[sm_90,compute_90]' -o "$out/cuda/$prog" "$here/$prog.cu"
  echo "sm_80,sm_90,compute_90" >"$out/cuda/arch"
}

if ((build)); then
  if ((cuda)) && ! command -v "$nvcc" >/dev/null; then
    echo "run.sh: nvcc not found (--nvcc PATH or NVCC=PATH)" >&2
    exit 1
  fi
  # bench/parallel's guest (nstream and row-per-iteration matmul, parallel_exec timed alone).
  "$here/../parallel/run.sh" --build-only --out "$out/parallel"
  # This folder's guest (the same kernels, plus element-per-iteration matmul and copy timing),
  # kernels built the same three ways as bench/parallel's.
  for variant in sdk nounroll simd128; do
    dir=$out/guest/$variant flags=()
    [[ $variant == nounroll ]] && flags=(-fno-unroll-loops)
    [[ $variant == simd128 ]] && flags=(-msimd128)
    mkdir -p "$dir"
    for k in nstream matmul; do
      "$root/sdk/bin/wp-kernel" --name "gpu_$k" -o "$dir/gpu_${k}_kernel.h" "${flags[@]}" \
        "$here/../parallel/kernels/${k}_kernel.c"
    done
    "$root/sdk/bin/wp-kernel" --name gpu_matmul_elem -o "$dir/gpu_matmul_elem_kernel.h" \
      "${flags[@]}" "$here/kernels/matmul_elem_kernel.c"
    clang --target=wasm32-wasi -O2 -Wall -Wextra -I "$root/sdk/include" -I "$dir" -I "$here" \
      -I "$here/../parallel" "$here/gpu_guest.c" -o "$dir/gpu_guest.wasm"
  done
  if ((cuda)); then
    mkdir -p "$out/cuda"
    build_cuda nstream
    build_cuda matmul
    echo "built into $out (CUDA for $(cat "$out/cuda/arch"))"
  else
    echo "built the guests into $out (no CUDA programs: --no-cuda)"
  fi
fi
((run)) || exit 0

if [[ ! -x $parawasm ]]; then
  echo "run.sh: no parawasm at $parawasm (--parawasm PATH or PARAWASM=PATH)" >&2
  exit 1
fi
# Hints 2 and 3: discrete_gpu, integrated_gpu.
gpu=$("$parawasm" devices | grep -E '^[23] ' | head -n1 || true)
if [[ -z $gpu ]]; then
  echo "run.sh: no GPU: 'parawasm devices' lists no discrete_gpu or integrated_gpu device"
  echo "(no NVIDIA driver, no GPU, or PARAWASM_CUDA_DISABLE set); built into $out, nothing measured."
  exit 0
fi

if ((quick)); then
  nstream_n=$((1 << 20)) matmul_n=128 reps=${reps:-3} rounds=${rounds:-2}
else
  nstream_n=$((1 << 24)) matmul_n=512 reps=${reps:-10} rounds=${rounds:-5}
fi
bench_guest=$out/parallel/$kernels/bench_guest.wasm
gpu_guest=$out/guest/$kernels/gpu_guest.wasm
results=$out/results.txt
: >"$results"

# Runs a program, keeps its RESULT lines in $results (tagged with the round) and returns
# nothing; a failure stops the script with the program's own message.
collect() { # collect ROUND COMMAND...
  local round=$1 lines
  shift
  if ! lines=$("$@" | grep '^RESULT'); then
    echo "run.sh: failed: $*" >&2
    [[ $1 != "$out/cuda/"* ]] || echo "run.sh: ('CUDA driver version is insufficient' means" \
      "nvcc is newer than the driver: build with an older one, --nvcc PATH)" >&2
    exit 1
  fi
  echo "${lines//RESULT /RESULT round=$round }" >>"$results"
}
wasm() { "$parawasm" run --device gpu "$@"; }

# One round: parawasm's and CUDA's runs of every benchmark; odd rounds start with parawasm,
# even ones with CUDA, so neither side always runs on a GPU that has just warmed up.
round() {
  local r=$1 side
  local sides=(parawasm cuda)
  ((r % 2)) || sides=(cuda parawasm)
  for side in "${sides[@]}"; do
    if [[ $side == parawasm ]]; then
      collect "$r" wasm "$bench_guest" nstream gpu "$nstream_n" "$reps" 8192
      collect "$r" wasm "$gpu_guest" nstream gpu copy "$nstream_n" "$reps" 8192
      collect "$r" wasm "$bench_guest" matmul gpu "$matmul_n" "$reps" 1
      collect "$r" wasm "$gpu_guest" matmul gpu copy "$matmul_n" "$reps" 1
      collect "$r" wasm "$gpu_guest" matmul_elem gpu exec "$matmul_n" "$reps" 256
      collect "$r" wasm "$gpu_guest" matmul_elem gpu copy "$matmul_n" "$reps" 256
    else
      collect "$r" "$out/cuda/nstream" all "$nstream_n" "$reps" 8192
      collect "$r" "$out/cuda/matmul" row all "$matmul_n" "$reps" 1
      collect "$r" "$out/cuda/matmul" elem all "$matmul_n" "$reps" 256
    fi
  done
}

# field NAME: the value of NAME=... in each line of stdin.
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
# The RESULT lines of one bench, side and timing. bench_guest.c's lines carry no timing: exec.
lines_of() { # lines_of BENCH VARIANT TIMING
  { grep " bench=$1 variant=$2 " "$results" || true; } | {
    if [[ $2 == wasm && $3 == exec ]]; then grep -v ' timing=copy' || true; else grep " timing=$3 " || true; fi
  }
}
# Median over the rounds of the runs' medians, in microseconds ("-" when there is none).
median_of() {
  lines_of "$@" | field median_us | sort -g |
    awk '{ v[NR] = $1 } END { if (!NR) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
                               else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
checksums_of() { lines_of "$@" | field checksum | sort -u | tr '\n' ' '; }

nvcc_version=$({ "$nvcc" --version 2>/dev/null || echo "release ?,"; } | sed -n 's/.*release \([^,]*\),.*/\1/p')
echo "parawasm GPU benchmark: $(tr -s ' ' <<<"$gpu" | cut -d' ' -f2-)"
if command -v nvidia-smi >/dev/null; then
  echo "nvidia-smi: $(nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,clocks.max.mem \
    --format=csv,noheader 2>/dev/null | head -n1)"
fi
echo "CUDA C: nvcc $nvcc_version -O3 --fmad=false, arch $(cat "$out/cuda/arch" 2>/dev/null || echo "$arch")"
echo "kernels: $kernels; $rounds rounds of $reps reps, parawasm and CUDA alternating;" \
  "raw RESULT lines in $results"
echo

for ((r = 1; r <= rounds; r++)); do
  echo "round $r/$rounds ..." >&2
  round "$r"
done

pct() { awk -v c="$1" -v p="$2" 'BEGIN { if (c == "-" || p == "-" || p == 0) print "-";
                                         else printf "%.1f", 100 * c / p }'; }
rate() { # rate BENCH SIZE US: GB/s for nstream, GFLOP/s for the matmuls
  awk -v b="$1" -v n="$2" -v t="$3" 'BEGIN { if (t == "-") { print "-"; exit }
    if (b == "nstream") printf "%.1f", 32 * n / (t * 1e3); else printf "%.1f", 2 * n * n * n / (t * 1e3) }'
}

echo "medians in microseconds (median over rounds of each run's median); CUDA/parawasm: CUDA's"
echo "time divided by parawasm's, i.e. parawasm's performance as a percentage of CUDA C's (goal: 80%)"
echo "exec: parallel_exec alone (CUDA: launch + cudaDeviceSynchronize; 'CUDA kernel' is the launch"
echo "alone by CUDA events); copy: the inputs to the device, the exec, the output back"
echo
printf '%-28s %-5s %12s %12s %12s %10s %10s %8s %5s  %s\n' bench timing parawasm "CUDA C" \
  "CUDA kernel" "pw rate" "CUDA rate" "CUDA/pw" goal checksums
all_met=1
for bench in nstream matmul matmul_elem; do
  case $bench in
  nstream) size=$nstream_n label="nstream 2^$(awk -v n="$size" 'BEGIN { printf "%d", int(log(n) / log(2) + 0.5) }') GB/s" ;;
  matmul) size=$matmul_n label="matmul $size row/thread GF/s" ;;
  matmul_elem) size=$matmul_n label="matmul $size elem/thread GF/s" ;;
  esac
  sums=$( (lines_of "$bench" wasm exec; lines_of "$bench" wasm copy; lines_of "$bench" cuda exec
    lines_of "$bench" cuda kernel; lines_of "$bench" cuda copy) | field checksum | sort -u | wc -l)
  same=$([[ $sums == 1 ]] && echo equal || echo "DIFFER: wasm $(checksums_of "$bench" wasm exec)cuda $(checksums_of "$bench" cuda exec)")
  for timing in exec copy; do
    pw=$(median_of "$bench" wasm "$timing")
    cu=$(median_of "$bench" cuda "$timing")
    kern=$([[ $timing == exec ]] && median_of "$bench" cuda kernel || echo -)
    p=$(pct "$cu" "$pw")
    met=$(awk -v p="$p" 'BEGIN { print (p != "-" && p >= 80) ? "met" : "MISS" }')
    [[ $same == equal ]] || met=WRONG
    [[ $met == met ]] || all_met=0
    printf '%-28s %-5s %12s %12s %12s %10s %10s %7s%% %5s  %s\n' "$label" "$timing" "$pw" "$cu" \
      "$kern" "$(rate "$bench" "$size" "$pw")" "$(rate "$bench" "$size" "$cu")" "$p" "$met" "$same"
  done
done
echo
if ((all_met)); then
  echo "goal met: parawasm reaches at least 80% of CUDA C's performance everywhere"
else
  echo "goal not met where marked MISS (parawasm below 80% of CUDA C's performance) or WRONG"
  echo "(checksums differ: a result is wrong, so its time means nothing)"
fi

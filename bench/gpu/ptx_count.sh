#!/usr/bin/env bash
# Instructions issued by bench/gpu's kernels, parawasm's PTX against nvcc's, both run on the fake
# CUDA driver's PTX interpreter (tests/unit/cuda/fake_driver): a repeatable figure of GPU code
# quality on a machine without a GPU, as callgrind's counts are for the CPU. Not a timing: a GPU
# hides some instructions behind memory latency and issues the others at rates this does not
# model. See bench/gpu/README.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/gpu/ptx_count.sh [--parawasm PATH] [--runner PATH] [--nvcc PATH] [--sm 90]
                             [--out DIR] [--quick] [--length N] [--order N]

Builds nstream, the row matmul and the element matmul as wasi-parallel kernels (sdk/bin/wp-kernel
-O2, as bench/gpu/run.sh's default) and as PTX (parawasm compile --emit=ptx), and nstream.cu and
matmul.cu with nvcc -O3 --fmad=false -ptx when nvcc is found; runs each kernel once on the
interpreter (pw_ptx_run, built in the test build) with one thread per iteration in blocks of 256,
and prints the instructions the threads issued and nvcc's count as a percentage of parawasm's.
Without nvcc, parawasm's counts alone. Sizes: nstream's --length (65536), the matmuls' --order
(64); --quick: 4096 and 32 (CI).
EOF
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
parawasm=$root/build/parawasm runner=$root/build/tests/pw_ptx_run nvcc=${NVCC:-}
sm=90 out="" quick=0 stream="" order=""
while (($#)); do
  case $1 in
  --parawasm) parawasm=$2; shift ;;
  --runner) runner=$2; shift ;;
  --nvcc) nvcc=$2; shift ;;
  --sm) sm=$2; shift ;;
  --out) out=$2; shift ;;
  --quick) quick=1 ;;
  --length) stream=$2; shift ;;
  --order) order=$2; shift ;;
  -h | --help) usage; exit 0 ;;
  *) echo "ptx_count.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
[[ -n $nvcc ]] || nvcc=$(command -v nvcc || true)
[[ -n $nvcc || ! -x /usr/local/cuda/bin/nvcc ]] || nvcc=/usr/local/cuda/bin/nvcc
for tool in "$parawasm" "$runner"; do
  [[ -x $tool ]] || { echo "ptx_count.sh: $tool not found (build the project first)" >&2; exit 1; }
done
[[ -n $out ]] || out=$(mktemp -d)
mkdir -p "$out"

if ((quick)); then : "${stream:=4096}" "${order:=32}"; else : "${stream:=65536}" "${order:=64}"; fi

for k in nstream matmul; do
  "$root/sdk/bin/wp-kernel" --name "$k" -o "$out/$k.h" "$root/bench/parallel/kernels/${k}_kernel.c"
done
"$root/sdk/bin/wp-kernel" --name elem -o "$out/elem.h" "$here/kernels/matmul_elem_kernel.c"
for k in nstream matmul elem; do
  "$parawasm" compile --emit=ptx --sm="$sm" "$out/$k.wasm" >"$out/$k.ptx"
done
if [[ -n $nvcc ]]; then
  for k in nstream matmul; do
    "$nvcc" -O3 --fmad=false -arch="sm_$sm" -ptx -I "$here" -I "$root/bench/parallel" \
      "$here/$k.cu" -o "$out/cuda_$k.ptx"
  done
fi

blocks() { echo $((($1 + 255) / 256)); }
issued() {
  local line
  line=$("$runner" "$@")
  [[ $line =~ ^issued=([1-9][0-9]*)$ ]] || { echo "ptx_count.sh: $runner said: $line" >&2; exit 1; }
  echo "${BASH_REMATCH[1]}"
}
entry() { grep -o "\.entry [A-Za-z0-9_]*$1[A-Za-z0-9_]*" "$2" | head -1 | cut -d' ' -f2; }

# parawasm's entry: the launch ABI (vm/gpu_launch.h), then each buffer's guest address and
# length. Guest memory is one allocation mirrored whole; the parameters buffer at 0, the arrays
# from 256 on.
ours() { # kernel iterations guest_block params_item bytes_a bytes_b bytes_c
  local k=$1 n=$2 block=$3 param=$4 la=$5 lb=$6 lc=$7
  local a=256 b=$((256 + la)) c=$((256 + la + lb)) size=$((256 + la + lb + lc))
  issued "$out/$k.ptx" pw_gpu_kernel "$(blocks "$n")" 256 alloc:mem:$size alloc:trap:8 \
    "$param" ptr:mem u64:0 u64:$size u64:$size ptr:trap u32:$n u32:$block u32:0 u32:$n \
    u32:0 u32:8 u32:$a u32:$la u32:$b u32:$lb u32:$c u32:$lc
}
matrix=$((8 * order * order))
declare -A mine theirs sizes
sizes[nstream]="2^$(awk -v n=$stream 'BEGIN { print log(n) / log(2) }')"
sizes[matmul_row]=$order sizes[matmul_elem]=$order
mine[nstream]=$(ours nstream "$stream" 8192 set:mem:0:f64:3 $((8 * stream)) $((8 * stream)) \
  $((8 * stream)))
mine[matmul_row]=$(ours matmul "$order" 1 set:mem:0:u32:$order $matrix $matrix $matrix)
mine[matmul_elem]=$(ours elem $((order * order)) 256 set:mem:0:u32:$order $matrix $matrix $matrix)
if [[ -n $nvcc ]]; then
  bytes=$((8 * stream))
  theirs[nstream]=$(issued "$out/cuda_nstream.ptx" "$(entry nstreamKernel "$out/cuda_nstream.ptx")" \
    "$(blocks "$stream")" 256 alloc:a:$bytes alloc:b:$bytes alloc:c:$bytes u64:$stream f64:3 \
    ptr:b ptr:c ptr:a)
  for shape in row elem; do
    name=$(entry "matmul${shape^}Kernel" "$out/cuda_matmul.ptx")
    threads=$order
    [[ $shape == elem ]] && threads=$((order * order))
    theirs[matmul_$shape]=$(issued "$out/cuda_matmul.ptx" "$name" "$(blocks $threads)" 256 \
      alloc:a:$matrix alloc:b:$matrix alloc:c:$matrix u32:$order ptr:a ptr:b ptr:c)
  done
fi

printf '%-12s %-6s %14s %14s %9s\n' bench size parawasm nvcc nvcc/pw
for b in nstream matmul_row matmul_elem; do
  if [[ -n ${theirs[$b]:-} ]]; then
    printf '%-12s %-6s %14s %14s %8s%%\n' "$b" "${sizes[$b]}" "${mine[$b]}" "${theirs[$b]}" \
      "$(awk -v p="${mine[$b]}" -v c="${theirs[$b]}" 'BEGIN { printf "%.0f", 100 * c / p }')"
  else
    printf '%-12s %-6s %14s %14s %9s\n' "$b" "${sizes[$b]}" "${mine[$b]}" - -
  fi
done
[[ -n $nvcc ]] || echo "(nvcc not found: parawasm's counts only)"

#!/usr/bin/env bash
# The GPU check: scripts/gpu-check.sh [--fake-driver [--fake-gpus N]] [--bundle PATH] [--quick] OUT_DIR
#
# Runs, on a machine that has only an NVIDIA driver and the carried files (no cmake, no ctest, no
# compiler needed), the GPU check bundle that scripts/package.sh makes
# (dist/parawasm-<version>-gpu-check.tar.xz, or the unpacked folder):
#   1. every gpu-labelled test of the build (check/manifest.tsv: the unit_cuda gtests, the
#      examples and PRK kernels on the GPU hint), plus each example with `--device gpu`;
#   2. bench/gpu: nstream bandwidth and matmul, parawasm against CUDA C (built here with nvcc
#      when there is one, else the bundle's prebuilt sm_90 programs), bench/gpu/run.sh's table;
# and writes OUT_DIR/summary.txt, OUT_DIR/results.json and OUT_DIR/log.txt (output of every test
# that did not pass, and the bench's). Exit status 0 when every test passes.
#
# --fake-driver: the same against the fake CUDA driver in the bundle (tests/unit/cuda/fake_driver),
# on any machine. The fake runs the PTX parawasm hands it with its PTX interpreter
# (ptx_interpreter.h), so a test passes only when it ends as expected, values included, and its
# kernels ran there; a test that never reached the driver (skipped, or ran on the CPU) fails.
# Where NVIDIA's ptxas is (on PATH or in /usr/local/cuda/bin), every module goes through it too.
# The bench runs at small sizes, its checksums compared with the cpu device's; CUDA C is not run. --fake-gpus N: the fake presents N GPUs, so every test runs on the one
# device over several GPUs (docs/gpu.md, "Several GPUs"). --quick: the bench at small sizes, one
# round (a smoke test).
set -uo pipefail

fake=0 bundle="" quick=0 fake_gpus=1
while (($#)); do
  case $1 in
  --fake-driver) fake=1 ;;
  --fake-gpus) fake_gpus=$2; shift ;;
  --bundle) bundle=$2; shift ;;
  --quick) quick=1 ;;
  -h | --help) sed -n '2,21s/^# \{0,1\}//p' "$0"; exit 0 ;;
  -*) echo "gpu-check.sh: unknown option $1" >&2; exit 2 ;;
  *) break ;;
  esac
  shift
done
(($# == 1)) || { echo "usage: gpu-check.sh [--fake-driver [--fake-gpus N]] [--bundle PATH] [--quick] OUT_DIR" >&2; exit 2; }
mkdir -p "$1"
out=$(cd "$1" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
start=$SECONDS

# The bundle: --bundle, else the folder this script sits in (check/ of an unpacked bundle), else
# the newest tarball in the checkout's dist/.
if [[ -z $bundle ]]; then
  if [[ -f $here/manifest.tsv ]]; then
    bundle=$(dirname "$here")
  else
    bundle=$(ls -t "$here"/../dist/parawasm-*-gpu-check.tar.xz 2>/dev/null | head -n1)
  fi
fi
[[ -n $bundle && -e $bundle ]] || { echo "gpu-check.sh: no bundle (scripts/package.sh makes one; --bundle PATH)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/gpu-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [[ -d $bundle ]]; then
  R=$(cd "$bundle" && pwd)
else
  tar -C "$work" -xJf "$bundle" || { echo "gpu-check.sh: cannot unpack $bundle" >&2; exit 2; }
  R=$(echo "$work"/parawasm-*-gpu-check)
fi
C=$R/check
[[ -f $C/manifest.tsv && -x $R/bin/parawasm ]] || { echo "gpu-check.sh: $R is not a GPU check bundle" >&2; exit 2; }

export PARAWASM_CACHE_DIR=$work/cache
unset PARAWASM_CUDA_DISABLE
if ((fake)); then
  export PARAWASM_CUDA_DRIVER=$C/lib/libpw_fake_cuda.so PW_FAKE_CUDA=$C/lib/libpw_fake_cuda.so
  # An H100's compute capability, so the PTX is what that GPU would get (sm_90); NVIDIA's ptxas,
  # where there is one, assembles each module as the driver would.
  export PARAWASM_FAKE_CUDA_DEVICES=$fake_gpus PW_FAKE_CUDA_EXECUTE=1 PARAWASM_FAKE_CUDA_CC=9.0
  ptxas=$(command -v ptxas || echo /usr/local/cuda/bin/ptxas)
  [[ -x $ptxas ]] && export PW_FAKE_CUDA_PTXAS=$ptxas
fi
summary=$out/summary.txt log=$out/log.txt
: >"$log"
say() { echo "$*" | tee -a "$summary"; }
: >"$summary"
json_str() { # a JSON string of $1
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\t'/\\t}
  s=${s//$'\n'/\\n}
  printf '"%s"' "$(tr -d '\000-\010\013-\037' <<<"$s" | head -c 4000)"
}

mode=$([[ $fake == 1 ]] && echo "fake driver$( ((fake_gpus > 1)) && echo ", $fake_gpus GPUs")" || echo "GPU")
devices=$("$R/bin/parawasm" devices 2>&1)
say "parawasm GPU check ($mode), bundle $(basename "$R"), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
command -v nvidia-smi >/dev/null &&
  say "nvidia-smi: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>&1 | head -n1)"
say "devices:"
say "$(sed 's/^/  /' <<<"$devices")"
if ! grep -qE '^[23] ' <<<"$devices"; then
  say "no GPU device: 'parawasm devices' lists no discrete_gpu or integrated_gpu"
  echo '{"mode":'"$(json_str "$mode")"',"error":"no GPU device","devices":'"$(json_str "$devices")"'}' >"$out/results.json"
  exit 1
fi

# ---- 1. The gpu tests ----------------------------------------------------------------------
declare -a jtests=()
pass=0 fail=0 executed_total=0
subst() { local s=${1//@R@/$R}; s=${s//@B@/$C/build}; echo "${s//@S@/$C/source}"; }
# The sum of field $1 over the fake's stats lines in file $2 (one per process that opened it).
count() { awk -F"$1=" 'NF > 1 { split($2, a, " "); n += a[1] } END { print n + 0 }' "$2" 2>/dev/null || echo 0; }
while IFS=$'\t' read -r -a f; do
  ((${#f[@]} >= 6)) || continue
  name=${f[0]} envs=${f[1]} expected=${f[2]} status=${f[3]} errre=${f[4]}
  cmd=()
  for w in "${f[@]:5}"; do cmd+=("$(subst "$w")"); done
  envv=()
  if [[ $envs != - ]]; then
    IFS=, read -r -a e <<<"$envs"
    for x in "${e[@]}"; do envv+=("$(subst "$x")"); done
  fi
  stats=$work/stats.$pass.$fail
  rm -f "$stats"
  t0=$SECONDS
  (cd "$work" && env "${envv[@]}" PW_FAKE_CUDA_STATS="$stats" timeout 300 "${cmd[@]}") \
    >"$work/stdout" 2>"$work/stderr"
  rc=$?
  secs=$((SECONDS - t0))
  verdict=pass detail=""
  if ((rc != status)); then
    verdict=fail detail="exit status $rc, expected $status"
  elif [[ $expected != - ]] && ! cmp -s "$work/stdout" "$(subst "$expected")"; then
    verdict=fail detail="stdout differs from $(basename "$expected")"
  elif [[ $errre != - ]] && ! grep -qE "$errre" "$work/stderr"; then
    verdict=fail detail="stderr does not match $errre"
  elif grep -q '^\[  SKIPPED \]' "$work/stdout"; then
    verdict=fail detail="skipped: $(grep -m1 -i 'skip' "$work/stdout" | head -c 200)"
  fi
  if ((fake)); then
    inits=$(count inits "$stats") executed=$(count executed "$stats")
    if [[ $name != cuda.DriverIsolation.* ]] && ((inits == 0)); then
      verdict=fail detail="never reached the CUDA driver (skipped, or ran on the CPU)${detail:+; $detail}"
    elif [[ $name != cuda.* && $verdict == pass ]] && ((executed == 0)); then
      # the unit_cuda tests run C++ stand-ins for their kernels; every other test runs PTX
      verdict=fail detail="the fake ran none of its kernels"
    fi
    executed_total=$((executed_total + executed))
  fi
  case $verdict in
  pass) pass=$((pass + 1)) ;;
  *) fail=$((fail + 1)) ;;
  esac
  printf '%-7s %4ss  %s%s\n' "$verdict" "$secs" "$name" "${detail:+  ($detail)}" >>"$summary"
  if [[ $verdict != pass ]]; then
    { echo "==== $name: $verdict${detail:+ ($detail)}"; echo "command: ${cmd[*]}"
      echo "---- stdout"; head -c 20000 "$work/stdout"; echo "---- stderr"; head -c 20000 "$work/stderr"; } >>"$log"
  fi
  jtests+=("{\"name\":$(json_str "$name"),\"status\":\"$verdict\",\"seconds\":$secs,\"detail\":$(json_str "$detail")}")
done <"$C/manifest.tsv"
total=$((pass + fail))
if ((fake)); then
  say "tests: $total, passed $pass, failed $fail (the fake's PTX interpreter ran $executed_total launches)"
else
  say "tests: $total, passed $pass, failed $fail"
fi

# ---- 2. bench/gpu --------------------------------------------------------------------------
B=$C/bench-gpu bench_status=skipped
bench_out=$work/bench-out
mkdir -p "$bench_out"
cp -r "$B/parallel" "$B/guest" "$bench_out/"
if ((fake)); then
  # Small sizes, on the fake (which interprets every kernel) and on the cpu device: the same
  # checksums. CUDA C needs a GPU.
  bench_status=ok
  for a in "bench_guest.wasm nstream gpu 4096 1 1024" "gpu_guest.wasm nstream gpu copy 4096 1 1024" \
    "bench_guest.wasm matmul gpu 16 1 1" "gpu_guest.wasm matmul_elem gpu exec 16 1 256"; do
    read -r g rest <<<"$a"
    p=$([[ $g == bench_guest.wasm ]] && echo parallel || echo guest)
    rm -f "$work/bench.stats"
    # shellcheck disable=SC2086 # words
    if ! PW_FAKE_CUDA_STATS=$work/bench.stats timeout 120 "$R/bin/parawasm" run --device gpu \
      "$bench_out/$p/sdk/$g" $rest >"$work/bench.one" 2>&1 ||
      ! grep -q 'executed=[1-9]' "$work/bench.stats" 2>/dev/null; then
      echo "FAILED: $g $rest" >>"$work/bench.one"
      bench_status=failed
    fi
    cat "$work/bench.one" >>"$work/bench.txt"
    # shellcheck disable=SC2086 # words
    on_cpu=$(timeout 120 "$R/bin/parawasm" run --device cpu "$bench_out/$p/sdk/$g" ${rest/gpu/cpu} 2>&1 |
      grep -o 'checksum=[^ ]*')
    on_gpu=$(grep -o 'checksum=[^ ]*' "$work/bench.one")
    if [[ -z $on_gpu || $on_gpu != "$on_cpu" ]]; then
      echo "FAILED: $g $rest: $on_gpu on the fake GPU, ${on_cpu:-none} on the cpu device" >>"$work/bench.txt"
      bench_status=failed
    fi
  done
  echo "fake driver: bench guests ran on the fake GPU's PTX interpreter (no figures; CUDA C not run)" >>"$work/bench.txt"
else
  nvcc=$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)
  mkdir -p "$bench_out/cuda"
  if [[ -x $nvcc ]]; then
    for p in nstream matmul; do
      "$nvcc" -O3 --fmad=false -std=c++17 -I "$B/src/gpu" -I "$B/src/parallel" -arch=native \
        -o "$bench_out/cuda/$p" "$B/src/gpu/$p.cu" >>"$work/bench.txt" 2>&1
    done
    echo "native ($("$nvcc" --version | sed -n 's/.*release \([^,]*\),.*/nvcc \1/p'))" >"$bench_out/cuda/arch"
  elif [[ -d $B/cuda-prebuilt ]]; then
    cp "$B"/cuda-prebuilt/* "$bench_out/cuda/"
  fi
  if [[ -x $bench_out/cuda/nstream && -x $bench_out/cuda/matmul ]]; then
    args=(--no-build --out "$bench_out" --parawasm "$R/bin/parawasm" --rounds 3)
    ((quick)) && args=(--no-build --out "$bench_out" --parawasm "$R/bin/parawasm" --quick --rounds 1)
    left=$((8 * 60 - 20 - (SECONDS - start)))
    if ((left > 30)) && timeout "$left" bash "$B/src/gpu/run.sh" "${args[@]}" >>"$work/bench.txt" 2>&1; then
      bench_status=ok
    else
      bench_status=failed
    fi
  else
    echo "no nvcc and no prebuilt CUDA programs: bench not run" >>"$work/bench.txt"
  fi
fi
say ""
say "bench/gpu ($bench_status):"
say "$(cat "$work/bench.txt")"
say ""
say "elapsed: $((SECONDS - start)) s"

{
  printf '{"mode":%s,"bundle":%s,"devices":%s,"passed":%d,"failed":%d,' \
    "$(json_str "$mode")" "$(json_str "$(basename "$R")")" "$(json_str "$devices")" "$pass" "$fail"
  printf '"tests":[%s],' "$(IFS=,; echo "${jtests[*]}")"
  printf '"bench":{"status":"%s","output":%s,"results":%s},"seconds":%d}\n' "$bench_status" \
    "$(json_str "$(cat "$work/bench.txt")")" \
    "$(json_str "$(cat "$bench_out/results.txt" 2>/dev/null)")" $((SECONDS - start))
} >"$out/results.json"

((fail == 0)) && [[ $bench_status != failed ]]

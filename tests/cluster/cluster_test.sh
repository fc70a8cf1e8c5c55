#!/usr/bin/env bash
# cluster_test.sh PARAWASM BUILD_DIR SOURCE_DIR: the cluster device (docs/cluster.md) on 2 and 3
# MPI ranks of this machine. Exit 77 (skipped) without Open MPI's mpirun.
#   - the examples print exactly what --device sequential prints;
#   - the PRK kernels validate, with the sequential device's checksum;
#   - the wasi-parallel conformance guests print their expected output;
#   - a kernel trapping in rank 2's part is kernel_trapped at rank 0, naming rank and iteration;
#   - iterations on several ranks updating the same bytes (atomic counters) fail loudly;
#   - -W timeout stops a kernel spinning on every rank;
#   - a worker rank killed mid-run ends the job with an error, not a hang.
set -uo pipefail
parawasm=$1 build=$2 src=$3
command -v mpirun >/dev/null || { echo "skipped: no mpirun (apt-get install openmpi-bin)"; exit 77; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
# Under the ASan build (scripts/sanitize.sh): Open MPI leaks its own allocations at exit, from
# plugins MPI_Finalize has unloaded, so LeakSanitizer can neither name nor suppress them; leak
# checking is off for these runs (ASan and UBSan still check everything).
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0 checks=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { checks=$((checks + 1)); }
cluster() { # ranks, then the run arguments
  local np=$1
  shift
  timeout 120 mpirun -np "$np" "$parawasm" run --device cluster --threads 1 "$@"
}

for ex in vector_add nstream matmul reduction mandelbrot; do
  wasm=$build/examples/$ex.wasm
  [[ -f $wasm ]] || continue
  "$parawasm" run --device sequential "$wasm" 0 >"$tmp/seq" 2>&1 || fail "$ex on sequential"
  for np in 2 3; do
    if cluster "$np" "$wasm" 1 >"$tmp/out" 2>"$tmp/err" && cmp -s "$tmp/seq" "$tmp/out"; then ok
    else fail "example $ex on $np ranks differs from sequential:"; diff "$tmp/seq" "$tmp/out" | head -5
      tail -5 "$tmp/err"; fi
  done
done

declare -A tiny=([nstream]=10000 [transpose]=100 [stencil]=50 [dgemm]=40 [p2p]=50 [reduce]=1000
                 [sparse]=5)
checksum() { grep -o 'checksum=[^ ]*' "$1"; }
for k in nstream transpose stencil dgemm p2p reduce sparse; do
  wasm=$build/bench/wasm/prk_${k}_wp.wasm
  [[ -f $wasm ]] || continue
  "$parawasm" run "$wasm" "${tiny[$k]}" 2 sequential >"$tmp/seq" 2>&1 || fail "prk $k sequential"
  for np in 2 3; do
    if cluster "$np" "$wasm" "${tiny[$k]}" 2 cpu >"$tmp/out" 2>&1 &&
       grep -q "Solution validates" "$tmp/out" && [[ $(checksum "$tmp/out") == $(checksum "$tmp/seq") ]]
    then ok; else fail "prk $k on $np ranks:"; tail -3 "$tmp/out"; fi
  done
done

for g in iterations results traps errors many_execs wit; do
  wasm=$build/tests/parallel/$g.wasm
  [[ -f $wasm ]] || continue
  if cluster 3 "$wasm" 1 >"$tmp/out" 2>"$tmp/err" &&
     cmp -s "$src/tests/parallel/expected/$g.stdout" "$tmp/out"; then ok
  else fail "conformance guest $g on 3 ranks:"; diff "$src/tests/parallel/expected/$g.stdout" "$tmp/out" | head -5; fi
done

if [[ -f $build/tests/parallel/traps.wasm ]]; then
  cluster 3 --verbose "$build/tests/parallel/traps.wasm" 1 >/dev/null 2>"$tmp/err"
  # Iteration 299 of 300 (the kernel's trap record names the chunk it was in, as on the cpu device).
  if grep -Eq "parallel_exec failed: kernel_trapped: rank 2: unreachable \(in function 'kernel'\) in (iteration 299|iterations \[2[0-9][0-9], 300\))$" "$tmp/err"
  then ok; else fail "a trap in rank 2's part is not reported as such:"; grep failed "$tmp/err" | head -3; fi
fi

if [[ -f $build/tests/parallel/histogram.wasm ]]; then
  if cluster 2 "$build/tests/parallel/histogram.wasm" 1 >"$tmp/out" 2>&1; then
    fail "atomic counters updated from two ranks did not fail"
  elif grep -q "not supported (8): rank 1 and another rank both changed guest address" "$tmp/out"; then ok
  else fail "atomic counters from two ranks: unexpected message:"; head -3 "$tmp/out"; fi
fi

# -W timeout stops a kernel that never ends on every rank: the workers are cancelled, the guest
# gets kernel_trapped (5) and ends with the interrupt trap, as on the cpu device.
g=$src/tests/cli/guests
if command -v wat2wasm >/dev/null && wat2wasm "$g/spin_kernel.wat" -o "$tmp/k.wasm"; then
  python3 - "$tmp/k.wasm" "$g/exec_guest.wat" "$tmp/spin.wat" <<'PY'
import sys
k = open(sys.argv[1], "rb").read()
text = open(sys.argv[2]).read().replace("KERNEL_BYTES", "".join("\\%02x" % b for b in k))
open(sys.argv[3], "w").write(text.replace("KERNEL_LEN", str(len(k))))
PY
  start=$(date +%s)
  cluster 3 -W timeout=1s "$tmp/spin.wat" >"$tmp/out" 2>&1
  status=$? took=$(($(date +%s) - start))
  # The guest prints the status (5) on stdout and the trap goes to stderr: mpirun forwards the
  # two streams separately, so under load either may come first.
  if ((status == 134)) && grep -q "^5" "$tmp/out" &&
     grep -q "parawasm: error: wasm trap: interrupt" "$tmp/out" &&
     grep -q "the guest ran longer than -W timeout=1s" "$tmp/out" && ((took < 30)); then ok
  else fail "-W timeout on a spinning kernel: status $status after ${took}s:"; head -3 "$tmp/out"; fi
fi

# A worker killed in the middle of a long run: the job ends with an error within seconds.
wasm=$build/bench/wasm/prk_dgemm_wp.wasm
if [[ -f $wasm ]]; then
  start=$(date +%s)
  cluster 2 "$wasm" 400 1000 cpu >"$tmp/out" 2>&1 &
  job=$!
  killed=""
  for _ in $(seq 100); do
    sleep 0.1
    for p in $(pgrep -f "parawasm run --device cluster --threads 1 $wasm"); do
      if tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=1"; then
        sleep 1 && kill -9 "$p" && killed=$p && break
      fi
    done
    [[ -n $killed ]] && break
  done
  wait "$job"
  status=$? took=$(($(date +%s) - start))
  if [[ -z $killed ]]; then fail "could not find worker rank 1 to kill"
  elif ((status == 0 || status == 124)); then fail "killed worker: the job ended with status $status"
  elif ((took > 60)); then fail "killed worker: the job took ${took}s to end"
  else ok; fi
fi

echo "cluster: $checks checks passed, $failures failed"
((checks > 0 && failures == 0))

#!/usr/bin/env bash
# Checks of the parawasm CLI's habits (issue 16): cli_test.sh PARAWASM SOURCE_DIR CASE.
# Each case runs parawasm, then checks its exit status and what it printed.
set -u
pw=$1 src=$2 case=$3
T=$(mktemp -d "${TMPDIR:-/tmp}/pw-cli-test.XXXXXX") || exit 2
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
export PARAWASM_CACHE_DIR=$T/cache
fib=$src/examples/wat/fib.wat
fail() { echo "FAIL: $*"; echo "--- stdout"; cat "$T/out"; echo "--- stderr"; cat "$T/err"; exit 1; }
# expect STATUS PATTERN -- ARGS...: runs parawasm ARGS, wants exit STATUS and PATTERN (grep -E)
# in stdout + stderr (an empty PATTERN checks only the status).
expect() {
  local status=$1 pattern=$2
  shift 3
  "$pw" "$@" >"$T/out" 2>"$T/err"
  local got=$?
  [ "$got" = "$status" ] || fail "parawasm $* exited $got, wanted $status"
  [ -z "$pattern" ] || cat "$T/out" "$T/err" | grep -Eq -- "$pattern" || fail "parawasm $* did not print /$pattern/"
}

# exec_guest KERNEL.wat OUT.wat: tests/cli/guests/exec_guest.wat with KERNEL's binary embedded.
exec_guest() {
  wat2wasm "$1" -o "$T/k.wasm" || fail "wat2wasm $1"
  python3 - "$T/k.wasm" "$src/tests/cli/guests/exec_guest.wat" "$2" <<'PY'
import sys
k = open(sys.argv[1], "rb").read()
text = open(sys.argv[2]).read().replace("KERNEL_BYTES", "".join("\\%02x" % b for b in k))
open(sys.argv[3], "w").write(text.replace("KERNEL_LEN", str(len(k))))
PY
}

case "$case" in
lazy_devices)
  # wasi-parallel finds its devices, and so starts the GPU driver (here the fake one, whose
  # cuInit makes it write its stats line at exit), only when a program first asks for a device,
  # or at start when --device forces one. A program that asks for none never starts it.
  [ -n "${PARAWASM_CUDA_DRIVER:-}" ] || fail "needs PARAWASM_CUDA_DRIVER (the fake driver)"
  export PW_FAKE_CUDA_STATS=$T/stats
  expect 0 '^55$' -- run --invoke fib "$fib" 10
  [ ! -s "$T/stats" ] || fail "a program that asks for no device started the driver: $(cat "$T/stats")"
  expect 0 'errors=0' -- run "$src/examples/wat/vector_add.wat"
  grep -q '^inits=1 ' "$T/stats" || fail "get_device did not start the driver: $(cat "$T/stats" 2>/dev/null)"
  rm -f "$T/stats"
  expect 0 '^55$' -- run --device cpu --invoke fib "$fib" 10
  grep -q '^inits=1 ' "$T/stats" || fail "--device did not find the devices at start"
  ;;
interrupt_gpu_kernel)
  # -W timeout stops the wait for a GPU kernel that never ends (here the fake driver running its
  # PTX): kernel_trapped to the guest, the interrupt trap after it, and a process that exits even
  # though the kernel runs on (the driver API cannot stop it; docs/gpu.md).
  [ -n "${PW_FAKE_CUDA_EXECUTE:-}" ] || fail "needs the fake driver running PTX (PW_FAKE_CUDA_EXECUTE=1)"
  exec_guest "$src/tests/cli/guests/spin_kernel.wat" "$T/guest.wat"
  export PW_FAKE_CUDA_STATS=$T/stats
  timeout 60 "$pw" run --verbose --device gpu -W timeout=1s "$T/guest.wat" >"$T/out" 2>"$T/err"
  got=$?
  [ "$got" = 134 ] || fail "exited $got, wanted 134 (124: still running after 60 s): $(cat "$T/err")"
  grep -qx "5" "$T/out" || fail "parallel_exec did not return kernel_trapped"
  grep -q "the kernel was abandoned" "$T/err" || fail "the abandoned kernel is not named: $(cat "$T/err")"
  grep -q "executed=1" "$T/stats" || fail "the kernel did not run on the fake GPU: $(cat "$T/stats" 2>/dev/null)"
  ;;
profile)
  # --profile=perfmap writes /tmp/perf-PID.map (perf's fixed place), one "START SIZE NAME" line
  # per function linked, from the code cache too (the second run); without it there is no map;
  # another strategy, or the flag twice, is a usage error.
  for round in compiled cached; do
    "$pw" run --profile=perfmap --invoke fib "$fib" 20 >"$T/out" 2>"$T/err" &
    pid=$!
    wait $pid || fail "run --profile=perfmap ($round) failed"
    map=/tmp/perf-$pid.map
    [ -f "$map" ] || fail "no $map ($round)"
    grep -Eq '^[0-9a-f]+ [0-9a-f]+ wasm::fib$' "$map" || { cat "$map"; rm -f "$map"; fail "no line for fib in the map ($round)"; }
    rm -f "$map"
  done
  grep -q '^6765$' "$T/out" || fail "fib 20 printed $(cat "$T/out")"
  "$pw" run --invoke fib "$fib" 20 >"$T/out" 2>"$T/err" &
  pid=$!
  wait $pid
  [ ! -e /tmp/perf-$pid.map ] || { rm -f /tmp/perf-$pid.map; fail "a map without --profile"; }
  expect 2 "unknown profiling strategy 'jitdump' \(parawasm has perfmap\)" -- run --profile=jitdump "$fib"
  expect 2 'given twice' -- run --profile=perfmap --profile perfmap "$fib"
  ;;
precompiled)
  # compile -o writes a precompiled module; run takes it only with --allow-precompiled; a file
  # made at another -O level, a damaged one and a truncated one are refused with the reason.
  expect 0 '' -- compile -o "$T/fib.pwasm" "$fib"
  expect 0 '^75025$' -- run --allow-precompiled --invoke fib "$T/fib.pwasm" 25
  expect 0 'loaded precompiled' -- run --allow-precompiled --verbose --invoke fib "$T/fib.pwasm" 25
  [ ! -e "$T/cache" ] || [ -z "$(ls -A "$T/cache")" ] || fail "running a precompiled module wrote the cache"
  expect 1 'is a precompiled module: it holds native code, so it is loaded only on request' -- run --invoke fib "$T/fib.pwasm" 25
  expect 1 'does not match this engine: .*\|O2\|.*needs .*\|O0\|.*compile it again' -- run --allow-precompiled -O0 --invoke fib "$T/fib.pwasm" 25
  python3 -c "import sys; b = bytearray(open(sys.argv[1], 'rb').read()); b[len(b) // 2] ^= 1; open(sys.argv[2], 'wb').write(b)" "$T/fib.pwasm" "$T/flipped.pwasm"
  expect 1 'precompiled module is damaged: checksum mismatch' -- run --allow-precompiled --invoke fib "$T/flipped.pwasm" 25
  head -c 40 "$T/fib.pwasm" >"$T/short.pwasm"
  expect 1 'precompiled module is damaged' -- run --allow-precompiled --invoke fib "$T/short.pwasm" 25
  # A plain module still runs with the flag; -o with --emit writes the text; -o into a missing
  # directory is an error that creates nothing.
  expect 0 '^75025$' -- run --allow-precompiled --invoke fib "$fib" 25
  expect 0 '' -- compile --emit=llvm -o "$T/fib.ll" "$fib"
  grep -q 'define' "$T/fib.ll" || fail "compile --emit=llvm -o wrote no IR"
  expect 1 'no-such-dir' -- compile -o "$T/no-such-dir/fib.pwasm" "$fib"
  [ ! -e "$T/no-such-dir" ] || fail "compile -o created a directory"
  ;;
devices_json)
  expect 0 '"kind_name": "cpu"' -- devices --json --threads 3
  python3 - "$T/out" <<'PY' || fail "not the expected JSON"
import json, sys
devices = json.load(open(sys.argv[1]))
kinds = {d["kind_name"]: d for d in devices}
assert kinds["sequential"]["kind"] == 0 and kinds["cpu"]["kind"] == 1, devices
assert "3 threads" in kinds["cpu"]["details"], devices
assert all(set(d) == {"kind", "kind_name", "name", "details"} for d in devices), devices
PY
  ;;
component)
  printf '\0asm\x0d\x00\x01\x00' >"$T/c.wasm"
  expect 1 "components are not supported: '$T/c.wasm' is a WebAssembly component \(version 0x1000d\)" -- run "$T/c.wasm"
  ;;
issue14_no_abort)
  # Inputs that once stopped the process (wabt assertions, host stack overflow) now give errors.
  printf '(module (memory 1) (memory 1) (data (memory 2) (i32.const 0) "x"))\n' >"$T/a.wast"
  expect 1 'memory variable out of range: 2 \(max 2\)' -- wast "$T/a.wast"
  printf '(module quote "(func (export \\"f\\") (result i32) i32.const 7)")\n(assert_return (invoke "f") (i32.const 7))\n(module quote "(func")\n' >"$T/q.wast"
  expect 1 "q.wast:3: module failed to compile: quoted:1: unexpected end of text: this '\(' is not closed" -- wast "$T/q.wast"
  grep -q '^1 passed, 1 failed' "$T/out" || fail "quoted modules not run"
  python3 -c "n=30000; print('(module (func (export \"f\")' + ' (block' * n + ')' * n + '))')" >"$T/deep.wat"
  expect 1 'nested deeper than 20000 levels' -- run "$T/deep.wat"
  python3 -c "n=30000; print('(module (func' + ' block' * n + ' end' * n + '))')" >"$T/flat.wast"
  expect 1 'nested deeper than 20000 levels' -- wast "$T/flat.wast"
  python3 -c "n=200000; print('(module (func' + ' (block' * n + ')' * n + '))')" >"$T/deeper.wast"
  expect 1 'nested deeper than 100000 levels' -- wast "$T/deeper.wast"
  # A syntax error before a nested quoted module: wabt's recovery would parse it as a command.
  printf '(assert_malformed Q(module quote "(func)") "x")\n' >"$T/resync.wast"
  expect 1 'resync.wast:1:19: unexpected token Q' -- wast "$T/resync.wast"
  printf '(module (func)\n' >"$T/open.wast"
  expect 1 "open.wast:1: unexpected end of text: this '\(' is not closed" -- wast "$T/open.wast"
  # An exception no Wasm code catches ends the run as a trap (Wasmtime's exit status), not an abort.
  printf '(module (tag $e (param i32)) (func (export "f") (throw $e (i32.const 1))))\n' >"$T/tag.wat"
  expect 134 'wasm trap: uncaught exception' -- run --invoke f "$T/tag.wat"
  ;;
repeated)
  expect 2 '--invoke was given twice' -- run --invoke fib --invoke fib "$fib" 10
  expect 2 '--device was given twice' -- run --device cpu --device=sequential "$fib"
  expect 2 '--threads was given twice' -- run --threads 2 --threads 3 "$fib"
  expect 2 '--trace was given twice' -- run --trace "$T/a.json" --trace "$T/b.json" "$fib"
  expect 2 '-O was given twice' -- run -O0 -O2 "$fib"
  expect 0 '^55$' -- run --env A=1 --env B=2 --dir "$T" --dir "$T" --invoke fib "$fib" 10
  ;;
trace_unwritable)
  expect 1 "cannot write '$T/missing/dir/t.json': directory '$T/missing/dir' does not exist" -- run --trace "$T/missing/dir/t.json" --invoke fib "$fib" 10
  [ ! -e "$T/missing" ] || fail "--trace created $T/missing"
  expect 1 "it is a directory" -- run --trace "$T" --invoke fib "$fib" 10
  mkdir "$T/ro" && chmod a-w "$T/ro"
  if [ "$(id -u)" != 0 ]; then # root writes anywhere
    expect 1 "cannot write '$T/ro/t.json'" -- run --trace "$T/ro/t.json" --invoke fib "$fib" 10
  fi
  expect 0 '^55$' -- run --trace "$T/t.json" --invoke fib "$fib" 10
  [ -s "$T/t.json" ] || fail "no trace written"
  ;;
option_groups)
  expect 2 "unknown -W key 'bogus' \(known keys: threads, simd, bulk-memory, multi-value, reference-types, multi-memory, memory64, timeout=" -- run -W bogus=10 "$fib"
  expect 2 "unknown -S key 'bogus' \(known keys: inherit-env, tcplisten=" -- run -S bogus "$fib"
  expect 2 '-S tcplisten needs a value: tcplisten=ADDR:PORT' -- run -S tcplisten "$fib"
  expect 2 '--tcplisten needs ADDRESS:PORT' -- run -Stcplisten=nowhere "$fib"
  expect 2 '-W threads: parawasm cannot turn this feature off' -- run -W threads=n "$fib"
  expect 2 '-S inherit-env is a flag' -- run -S inherit-env=maybe "$fib"
  expect 0 '^55$' -- run -W threads,simd=y -S inherit-env=n --wasi inherit-env --invoke fib "$fib" 10
  expect 0 '-S tcplisten=ADDR:PORT' -- run --help
  ;;
interrupt_start | interrupt_kernel | interrupt_team)
  # Issue 12: -W timeout=1s stops a guest that never ends within 2 s, with Wasmtime's trap and
  # exit status, and the process exits (no worker thread keeps it alive).
  g=$src/tests/cli/guests
  args=(run "$g/spin_start.wat")
  if [ "$case" = interrupt_kernel ]; then
    exec_guest "$g/spin_kernel.wat" "$T/guest.wat"
    args=(run --device cpu --threads 2 "$T/guest.wat")
  elif [ "$case" = interrupt_team ]; then
    args=(run --device cpu --threads 2 "$g/spin_team.wat")
  fi
  # The first run fills the code cache, so that the timed one measures the run, not compiling.
  # The process's own start-up and exit (loading LLVM, the JIT) is measured with -W timeout=1ms
  # and taken off: on a loaded machine it alone can take a second.
  timeout 60 "$pw" "${args[0]}" -W timeout=100ms "${args[@]:1}" >"$T/out" 2>"$T/err"
  start=$(date +%s.%N)
  timeout 20 "$pw" "${args[0]}" -W timeout=1ms "${args[@]:1}" >"$T/out" 2>"$T/err"
  startup=$(echo "$(date +%s.%N) - $start" | bc)
  start=$(date +%s.%N)
  timeout 20 "$pw" "${args[0]}" -W timeout=1s "${args[@]:1}" >"$T/out" 2>"$T/err"
  got=$?
  took=$(echo "$(date +%s.%N) - $start - $startup" | bc)
  echo "exit $got after $took s (start-up and exit, $startup s, taken off)"
  [ "$got" = 134 ] || fail "exited $got, wanted 134 (124: still running after 20 s)"
  grep -q "parawasm: error: wasm trap: interrupt" "$T/err" || fail "no interrupt trap"
  grep -q "ran longer than -W timeout=1s" "$T/err" || fail "the timeout is not named"
  [ "$(echo "$took < 2.0" | bc)" = 1 ] || fail "took $took s"
  [ "$(echo "$took >= 0.5" | bc)" = 1 ] || fail "stopped after $took s, before the timeout"
  if [ "$case" = interrupt_kernel ]; then
    # parallel_exec returned kernel_trapped (5) to the guest, which printed it.
    grep -qx "5" "$T/out" || fail "parallel_exec did not return kernel_trapped"
  fi
  expect 2 "-W timeout: 'soon' is not a duration" -- run -W timeout=soon "$g/spin_start.wat"
  ;;
team_trap)
  # Issue 12: members waiting for a member that trapped are stopped, not left hanging.
  g=$src/tests/cli/guests
  timeout 20 "$pw" run --verbose --device cpu --threads 2 "$g/trap_team.wat" >"$T/out" 2>"$T/err"
  got=$?
  [ "$got" = 0 ] || fail "exited $got, wanted 0 (124: hung)"
  grep -qx "5" "$T/out" || fail "parallel_for did not return kernel_trapped"
  grep -q "unreachable.*in worker thread 1" "$T/err" || fail "the trapping member is not named"
  ;;
fuel)
  g=$src/tests/cli/guests
  expect 134 "wasm trap: all fuel consumed by WebAssembly" -- run -W fuel=100000 "$g/spin_start.wat"
  expect 0 '^1000$' -- run -W fuel=100000 --invoke count "$g/grow.wat" 1000
  expect 134 "all fuel consumed" -- run -W fuel=1000 --invoke count "$g/grow.wat" 1000
  expect 2 "-W fuel: 'lots' is not a fuel amount" -- run -W fuel=lots "$g/spin_start.wat"
  # Lazily compiled functions are metered and interruptible too.
  PARAWASM_LAZY=1 expect 134 "all fuel consumed" -- run -W fuel=100000 "$g/spin_start.wat"
  PARAWASM_LAZY=1 expect 134 "wasm trap: interrupt" -- run -W timeout=300ms "$g/spin_start.wat"
  ;;
tiered)
  g=$src/tests/cli/guests
  # Tiered start-up (issue 11): fast-tier code is metered and interruptible too.
  PARAWASM_TIERED=1 expect 134 "all fuel consumed" -- run -W fuel=100000 "$g/spin_start.wat"
  PARAWASM_TIERED=1 expect 134 "wasm trap: interrupt" -- run -W timeout=300ms "$g/spin_start.wat"
  # The tier-up fills the code cache with -O2 code, which a warm start runs: no tier-up again.
  PARAWASM_TIERED=1 PARAWASM_TIER_WAIT=1 PARAWASM_TIER_TRACE=1 expect 0 \
    "tier-up: [0-9]+ functions on -O2" -- run --verbose --invoke count "$g/grow.wat" 1000
  grep -qx 1000 "$T/out" || fail "the tiered run's result"
  PARAWASM_TIERED=1 PARAWASM_TIER_TRACE=1 expect 0 "loaded from the code cache" -- \
    run --verbose --invoke count "$g/grow.wat" 1000
  if grep -q "tier-up" "$T/err"; then fail "a warm start tiered up"; fi
  PARAWASM_TIERED=0 PARAWASM_TIER_TRACE=1 expect 0 "grow.wat compiled" -- \
    run --no-cache --verbose --invoke count "$g/grow.wat" 1000
  if grep -q "tier-up" "$T/err"; then fail "PARAWASM_TIERED=0 tiered up"; fi
  # --verbose says how a module started.
  PARAWASM_TIERED=1 expect 0 "grow.wat started tiered in" -- \
    run --no-cache --verbose --invoke count "$g/grow.wat" 10
  grep -q "fast tier on its first call" "$T/err" || fail "--verbose did not explain a tiered start"
  PARAWASM_LAZY=1 expect 0 "grow.wat started lazily in" -- \
    run --no-cache --verbose --invoke count "$g/grow.wat" 10
  # A trap in a lazily compiled body names its function (-O0: no inlining hides it).
  PARAWASM_LAZY=1 expect 134 "integer divide by zero \(in function 'divide'\)" -- \
    run --no-cache --invoke run "$g/trap_nested.wat"
  PARAWASM_TIERED=1 expect 134 "integer divide by zero \(in function 'divide'\)" -- \
    run --no-cache --invoke run "$g/trap_nested.wat"
  PARAWASM_TIERED=0 expect 134 "integer divide by zero \(in function 'divide'\)" -- \
    run --no-cache -O0 --invoke run "$g/trap_nested.wat"
  ;;
limits)
  g=$src/tests/cli/guests
  expect 0 '^1$' -- run -W max-memory-size=128K --invoke grow "$g/grow.wat" 1
  expect 0 '^-1$' -- run -W max-memory-size=128K --invoke grow "$g/grow.wat" 2
  expect 0 '^-1$' -- run -W max-memory-size=1M --invoke grow "$g/grow.wat" 65535
  expect 0 '^1$' -- run --invoke grow "$g/grow.wat" 16
  expect 1 "instantiation failed: memory 0: a memory of 64 KiB is over the limit of 1 KiB \(max-memory-size\)" -- run -W max-memory-size=1024 --invoke grow "$g/grow.wat" 1
  expect 2 "-W max-memory-size: '5G' is not a byte count" -- run -W max-memory-size=5G "$g/grow.wat"
  exec_guest "$g/spin_kernel.wat" "$T/guest.wat"
  # A kernel over max-kernel-size: parallel_exec returns out_of_resources (6); then the guest
  # spins until the timeout.
  expect 134 "interrupt" -- run --verbose -W max-kernel-size=16,timeout=200ms "$T/guest.wat"
  grep -qx "6" "$T/out" || fail "parallel_exec did not return out_of_resources"
  grep -q "max-kernel-size" "$T/err" || fail "the limit is not named"
  ;;
*)
  echo "unknown case $case"
  exit 2
  ;;
esac
echo "ok"

#!/usr/bin/env bash
# Fuzzing campaign with libFuzzer: scripts/fuzz.sh [module|wast|diff|all] [SECONDS] [-- ARGS...]
# Builds build-asan (ASan+UBSan+libFuzzer, scripts/sanitize.sh --build-only asan) and runs each
# target for SECONDS (default 600) on the seed corpus from the tests (tests/fuzz/run_fuzz.sh);
# inputs that reach new code are kept in build-asan/fuzz/corpus-TARGET for the next campaign,
# crashes are written to build-asan/fuzz/TARGET-crash-*. ARGS go to libFuzzer (e.g. -jobs=2).
# Prints each target's execution count; docs/testing.md#fuzzing says what each target does.
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
seconds=${2:-600}
shift $(($# < 2 ? $# : 2))
[[ ${1:-} == -- ]] && shift
./scripts/sanitize.sh --build-only asan
source scripts/sanitizer_env.sh
targets=(module wast diff)
[[ $which != all ]] && targets=("$which")
status=0
for t in "${targets[@]}"; do
  log=build-asan/fuzz/$t.log
  mkdir -p build-asan/fuzz
  echo "fuzz: $t for ${seconds}s (log: $log)"
  if ! bash tests/fuzz/run_fuzz.sh "$PWD/build-asan/tests/fuzz_$t" "$t" "$PWD/build-asan/fuzz" \
       "$seconds" "$@" >"$log" 2>&1; then
    status=1
    echo "fuzz: $t FAILED, see $log"
    tail -n 30 "$log"
  fi
  grep -E '^(Done|stat::number_of_executed_units)' "$log" | sed "s/^/fuzz: $t: /" || true
done
exit $status

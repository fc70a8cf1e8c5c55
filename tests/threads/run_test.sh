#!/usr/bin/env bash
# Runs a wasi-threads guest and checks its exit status, its stdout and (optionally) a pattern in
# its stderr, --repeat times; every run is bounded by --timeout seconds, so a hang fails.
# run_test.sh --status N --stdout TEXT [--stderr REGEX] [--repeat K] [--timeout S] -- CMD...
set -uo pipefail
status=0 want_out="" want_err="" repeat=1 limit=60
while [[ $# -gt 0 && $1 != -- ]]; do
  case $1 in
  --status) status=$2; shift 2 ;;
  --stdout) want_out=$2; shift 2 ;;
  --stderr) want_err=$2; shift 2 ;;
  --repeat) repeat=$2; shift 2 ;;
  --timeout) limit=$2; shift 2 ;;
  *) echo "run_test.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
shift
err=$(mktemp)
trap 'rm -f "$err"' EXIT
for ((run = 1; run <= repeat; ++run)); do
  out=$(timeout -k 5 "$limit" "$@" 2>"$err")
  got=$?
  if [[ $got -eq 124 || $got -eq 137 ]]; then
    echo "run $run: no end within ${limit}s (hang)"; cat "$err"; exit 1
  fi
  if [[ $got -ne $status ]]; then
    echo "run $run: exit status $got, want $status"; echo "$out"; cat "$err"; exit 1
  fi
  if [[ "$out" != "$(printf '%b' "$want_out")" ]]; then
    echo "run $run: stdout differs"; echo "--- got"; echo "$out"; echo "--- want"
    printf '%b\n' "$want_out"; cat "$err"; exit 1
  fi
  if [[ -n $want_err ]] && ! grep -Eq "$want_err" "$err"; then
    echo "run $run: stderr lacks /$want_err/"; cat "$err"; exit 1
  fi
done
echo "$repeat run(s) ok"

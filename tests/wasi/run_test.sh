#!/usr/bin/env bash
# Runs one WASI guest under `parawasm run` in a scratch directory and compares its stdout and
# exit status with the expected ones. Also checks that nothing outside the sandbox directory
# changed. Set PW_BLESS=1 to overwrite the expected stdout with what the guest printed.
#
#   run_test.sh --parawasm BIN --wasm FILE --expect FILE --status N [--fixture NAME]
#               [--data DIR] [--stdin FILE] [--stdin-pipe FILE] [--host-env NAME=VALUE]
#               -- RUN-ARGS...
#
# RUN-ARGS go to `parawasm run`; @T@ becomes the scratch directory and @WASM@ the module, copied
# into the scratch directory and named by its file name so that argv[0] does not depend on the
# build tree. Layout of the scratch directory: box/ (what tests preopen), outside/ (what they
# must not reach), run/ (the module and outputs; the working directory).
set -u

parawasm= wasm= expect= status=0 fixture=empty data= stdin=/dev/null pipe= hostenv=()
while [ $# -gt 0 ]; do
  case "$1" in
    --parawasm) parawasm=$2; shift 2 ;;
    --wasm) wasm=$2; shift 2 ;;
    --expect) expect=$2; shift 2 ;;
    --status) status=$2; shift 2 ;;
    --fixture) fixture=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --stdin) stdin=$2; shift 2 ;;
    --stdin-pipe) pipe=$2; shift 2 ;;
    --host-env) hostenv+=("$2"); shift 2 ;;
    --) shift; break ;;
    *) echo "run_test.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

T=$(mktemp -d "${TMPDIR:-/tmp}/pw-wasi-test.XXXXXX") || exit 2
cleanup() { chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
mkdir -p "$T/box" "$T/outside" "$T/run"
echo "not for the guest" > "$T/outside/secret.txt"
echo "next to the sandbox" > "$T/outside.txt"

case "$fixture" in
  empty) ;;
  data) cp -R "$data"/. "$T/box/" ;;
  tree)
    mkdir -p "$T/box/a/b" "$T/box/a/empty" "$T/box/z"
    printf 'deep file\n' > "$T/box/a/b/deep.txt"
    printf 'top\n' > "$T/box/top.txt"
    head -c 1234 /dev/zero > "$T/box/c.dat"
    ln -s top.txt "$T/box/link_to_top"
    ln -s ../outside/secret.txt "$T/box/z/link_out"
    ;;
  escape)
    echo "inside" > "$T/box/file.txt"
    mkdir -p "$T/box/sub"
    ln -s /etc "$T/box/link_etc"
    ln -s ../outside/secret.txt "$T/box/link_up"
    ln -s ../outside "$T/box/link_updir"
    ln -s ../outside/created.txt "$T/box/dangling"
    ;;
  *) echo "run_test.sh: unknown fixture $fixture" >&2; exit 2 ;;
esac

# Everything outside box/ and run/, with contents, to compare after the run.
manifest() {
  (cd "$T" && find . -path ./box -prune -o -path ./run -prune -o -print | LC_ALL=C sort |
    while read -r p; do
      if [ -L "$p" ]; then echo "$p -> $(readlink "$p")"
      elif [ -f "$p" ]; then echo "$p $(stat -c '%s %a %Y' "$p") $(md5sum < "$p")"
      else echo "$p $(stat -c '%F %a' "$p")"; fi
    done)
}
before=$(manifest)

module="$T/run/$(basename "$wasm")"
cp "$wasm" "$module"
args=()
for a in "$@"; do
  a=${a//@T@/$T}
  a=${a//@WASM@/$(basename "$wasm")}
  args+=("$a")
done

cd "$T/run"
if [ -n "$pipe" ]; then
  cat "$pipe" | env "${hostenv[@]}" "$parawasm" run "${args[@]}" > stdout.txt 2> stderr.txt
  actual=${PIPESTATUS[1]}
else
  env "${hostenv[@]}" "$parawasm" run "${args[@]}" < "$stdin" > stdout.txt 2> stderr.txt
  actual=$?
fi

fail=0
if [ "${PW_BLESS:-0}" = 1 ]; then
  cp stdout.txt "$expect"
elif ! diff -u "$expect" stdout.txt; then
  echo "FAIL: stdout differs from $expect"
  fail=1
fi
if [ "$actual" != "$status" ]; then
  echo "FAIL: exit status $actual, expected $status"
  fail=1
fi
after=$(manifest)
if [ "$before" != "$after" ]; then
  echo "FAIL: something outside the sandbox changed:"
  diff <(echo "$before") <(echo "$after")
  fail=1
fi
if [ $fail != 0 ]; then
  echo "--- command: parawasm run ${args[*]}"
  echo "--- stderr:"
  cat stderr.txt
fi
exit $fail

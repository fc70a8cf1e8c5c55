#!/usr/bin/env bash
# run_fuzz.sh FUZZ_EXE module|wast|diff WORK_DIR SECONDS [FUZZER_ARGS...]
# Builds the seed corpus from the tests on first use (WORK_DIR/seeds-KIND: the modules of
# tests/wast/*.wast via wast2json, or the scripts cut into one piece per module), then fuzzes for
# SECONDS with new inputs kept in WORK_DIR/corpus-KIND. Crashes are written to WORK_DIR/.
set -euo pipefail
exe=$1 kind=$2 work=$3 seconds=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
wast_dir=$here/../wast
seeds_kind=$kind
[[ $kind == diff ]] && seeds_kind=module
seeds=$work/seeds-$seeds_kind
if [[ ! -d $seeds ]]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  mkdir -p "$tmp/out"
  if [[ $seeds_kind == module ]]; then
    for f in "$wast_dir"/*.wast "$wast_dir"/extra/*.wast; do
      n=$(basename "$f" .wast)
      wast2json --enable-threads "$f" -o "$tmp/$n.json" >/dev/null 2>&1 || true
    done
    for m in "$tmp"/*.wasm; do
      [[ -s $m ]] && cp "$m" "$tmp/out/$(sha1sum "$m" | cut -c1-16).wasm"
    done
  else
    python3 "$here/split_wast.py" "$tmp/out" "$wast_dir"/*.wast "$wast_dir"/extra/*.wast
  fi
  mkdir -p "$work"
  mv "$tmp/out" "$seeds"
fi
corpus=$work/corpus-$kind
mkdir -p "$corpus"
cd "$work"
# -timeout: one input that runs this long is a hang; the bounds in bound_module.h keep honest inputs
# far below. -rss_limit_mb: each instance reserves 8 GiB of address space, not of memory.
exec "$exe" -max_total_time="$seconds" -timeout=20 -max_len=8192 -rss_limit_mb=4096 \
  -artifact_prefix="$work/$kind-" -print_final_stats=1 "$@" "$corpus" "$seeds"

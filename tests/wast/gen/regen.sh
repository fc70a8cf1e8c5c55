#!/bin/sh
# Regenerates the table-driven .wast files of tests/wast from the scripts beside this one.
# The expected values are computed by the scripts (not copied from any engine); after
# regenerating, check every file against wabt's reference interpreter:
#   wast2json --enable-all F -o out/x.json && spectest-interp --enable-all out/x.json
set -e
export PYTHONDONTWRITEBYTECODE=1
here=$(cd "$(dirname "$0")" && pwd)
wast=$(dirname "$here")
python3 "$here/ints.py" "$wast/i32.wast" 32
python3 "$here/ints.py" "$wast/i64.wast" 64
python3 "$here/floats.py" "$wast/f32.wast" 32
python3 "$here/floats.py" "$wast/f64.wast" 64
python3 "$here/conv.py" "$wast/conversions.wast"
python3 "$here/mem.py" "$wast/memory.wast"
for g in valid malformed atomics simd_int simd_float simd_basic simd_mem; do
  python3 "$here/$g.py"
done

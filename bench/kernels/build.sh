#!/usr/bin/env bash
# Builds the PRK kernels without CMake, into the same layout as kernels.cmake:
#   bench/kernels/build.sh [OUT_DIR]        (default: build-bench at the repository root)
#   OUT_DIR/native/prk_<k>_omp  OUT_DIR/wasm/prk_<k>_seq.wasm  OUT_DIR/wasm/prk_<k>_wp.wasm
# Tools: $CC (default gcc) with OpenMP, $WP_CLANG (default clang) with wasm32-wasi, wasm-objdump.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$root/build-bench}
cc=${CC:-gcc}
clang=${WP_CLANG:-clang}
mkdir -p "$out/native" "$out/wasm/kernels"
for k in nstream transpose stencil dgemm p2p reduce sparse; do
  src=$here/$k/$k.c
  echo "prk $k"
  "$cc" -O3 -fopenmp -Wall -Wextra "$src" -o "$out/native/prk_${k}_omp" -lm
  "$clang" --target=wasm32-wasi -O3 -Wall -Wextra "$src" -o "$out/wasm/prk_${k}_seq.wasm" -lm
  for kernel in "$here/$k"/*_kernel.c; do
    m=$(basename "$kernel" _kernel.c)
    "$root/sdk/bin/wp-kernel" --cc "$clang" -O3 --name "prk_$m" \
      -o "$out/wasm/kernels/prk_${m}_kernel.h" "$kernel"
  done
  "$clang" --target=wasm32-wasi -O3 -DPRK_WP -Wall -Wextra -I"$root/sdk/include" \
    -I"$out/wasm/kernels" "$src" -o "$out/wasm/prk_${k}_wp.wasm" -lm
done

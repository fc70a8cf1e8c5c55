#!/usr/bin/env bash
# The self-contained release (issue 15): check_package.sh SOURCE_DIR [TARBALL]
# Without TARBALL, makes one with scripts/package.sh (build-release/, mostly ccache hits after
# build/; the static link takes a minute or two), and its GPU check bundle. Then: unpacks it into
# a temp dir, checks the unpacked size (at most 60 MiB), that ldd lists no LLVM, wabt, z3, icu or
# xml2 (and nothing missing), and runs the bundled examples with an empty environment; and runs
# the GPU check bundle against the fake CUDA driver (scripts/gpu-check.sh --fake-driver: every
# gpu test must reach the driver, its kernels run by the fake's PTX interpreter, and end as
# expected, values included).
set -euo pipefail
src=$(cd "$1" && pwd)
tarball=${2:-}
gpu_bundle=""
if [[ -z $tarball ]]; then
  "$src/scripts/package.sh"
  tarball=$(ls -t "$src"/dist/parawasm-*-linux-x86_64.tar.xz | head -n1)
  gpu_bundle=$(ls -t "$src"/dist/parawasm-*-gpu-check.tar.xz | head -n1)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -C "$tmp" -xJf "$tarball"
root=$(echo "$tmp"/parawasm-*-linux-x86_64)
size=$(du -s --apparent-size -m "$root" | cut -f1)
echo "tarball $(du -h "$tarball" | cut -f1), unpacked $size MiB"
((size <= 60)) || { echo "FAIL: unpacked size $size MiB is above 60 MiB"; exit 1; }
libs=$(ldd "$root/bin/parawasm")
echo "$libs"
if grep -iE 'llvm|wabt|z3|icu|xml2|not found|libstdc\+\+' <<<"$libs"; then
  echo "FAIL: bin/parawasm needs a library a release must not"
  exit 1
fi
cd "$tmp" # no checkout, no build tree, no LLVM on any library path
ex=$root/share/parawasm/examples
for e in vector_add nstream matmul reduction mandelbrot vector_add_wat; do
  for hint in 0 1; do
    out=$(env -i "$root/bin/parawasm" run "$ex/$e.wasm" $hint)
    if [[ $out != "$(cat "$ex/expected/$e.stdout")" ]]; then
      echo "FAIL: $e on hint $hint printed: $out"
      exit 1
    fi
  done
done
echo "ok: the release runs every example with env -i"
if [[ -n $gpu_bundle ]]; then
  if ! "$src/scripts/gpu-check.sh" --fake-driver --bundle "$gpu_bundle" "$tmp/gpu-check" >/dev/null; then
    grep -v '^pass' "$tmp/gpu-check/summary.txt"
    echo "FAIL: the GPU check bundle against the fake CUDA driver"
    exit 1
  fi
  grep '^tests:' "$tmp/gpu-check/summary.txt"
  echo "ok: the GPU check bundle against the fake CUDA driver"
fi

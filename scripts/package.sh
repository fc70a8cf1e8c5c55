#!/usr/bin/env bash
# The self-contained release: scripts/package.sh [--build-dir DIR] [--out DIR] [--no-gpu-check]
#
# Builds parawasm with the LLVM components it uses, wabt, libstdc++ and libgcc linked statically
# (PARAWASM_STATIC_LLVM=ON, in build-release/ by default) and writes into dist/:
#   parawasm-<version>-linux-x86_64.tar.xz   bin/parawasm (stripped), the guest SDK and the
#                                            examples with their expected output, under
#                                            share/parawasm/; needs only glibc
#   parawasm-<version>-gpu-check.tar.xz      the same plus what scripts/gpu-check.sh runs on a GPU
#                                            machine: the gpu-labelled tests as a manifest with
#                                            their guests and expected output, unit_cuda, the
#                                            fake CUDA driver, and bench/gpu's guests and sources
# The build uses the same compiler flags as build/ (RelWithDebInfo), so ccache serves the
# objects and only the links are new; the binaries are stripped when staged.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dir=build-release out=dist gpu_check=1
while (($#)); do
  case $1 in
  --build-dir) dir=$2; shift ;;
  --out) out=$2; shift ;;
  --no-gpu-check) gpu_check=0 ;;
  -h | --help) sed -n '2,15s/^# \{0,1\}//p' "$0"; exit 0 ;;
  *) echo "package.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

./scripts/setup.sh
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
[[ -f $dir/build.ninja ]] ||
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPARAWASM_STATIC_LLVM=ON
grep -q '^PARAWASM_STATIC_LLVM:BOOL=ON' "$dir/CMakeCache.txt" ||
  { echo "package.sh: $dir is not configured with PARAWASM_STATIC_LLVM=ON" >&2; exit 1; }
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$dir/CMakeCache.txt")
name=parawasm-$version-linux-x86_64

targets=(parawasm_cli)
((gpu_check)) && targets+=(unit_cuda pw_fake_cuda)
examples=(vector_add nstream matmul reduction mandelbrot vector_add_wat abi_conformance)
for e in "${examples[@]}"; do targets+=("example_$e"); done
cmake --build "$dir" --target "${targets[@]}"

rm -rf "$out/stage"
stage=$out/stage/$name
mkdir -p "$stage/bin" "$stage/share/parawasm/examples/expected"
cp "$dir/parawasm" "$stage/bin/parawasm"
strip "$stage/bin/parawasm"
cp -r sdk "$stage/share/parawasm/sdk"
cp -r "$dir/examples/." "$stage/share/parawasm/examples/"
find "$stage/share/parawasm/examples" -name '*.o' -delete
for e in "${examples[@]}"; do
  cp "examples/expected/$e.stdout" "$stage/share/parawasm/examples/expected/"
done
cp README.md docs/wasi-parallel.md "$stage/share/parawasm/"
cat >"$stage/README" <<EOF
parawasm $version for Linux x86-64: a WebAssembly runtime with wasi-parallel (CPU and NVIDIA GPU).
bin/parawasm needs only glibc; a GPU needs the NVIDIA driver (libcuda.so.1).
  bin/parawasm run share/parawasm/examples/vector_add.wasm      # device hint: 0 seq, 1 cpu, 2 gpu
  bin/parawasm devices
The guest SDK (wasi_parallel.h, wp-kernel, wp-cc) is under share/parawasm/sdk.
EOF
mkdir -p "$out"
tar -C "$out/stage" -cJf "$out/$name.tar.xz" "$name"
echo "package.sh: $out/$name.tar.xz ($(du -h "$out/$name.tar.xz" | cut -f1)," \
  "unpacked $(du -sh "$stage" | cut -f1))"
((gpu_check)) || exit 0

# The GPU check bundle: the release plus the gpu tests (scripts/gpu_manifest.py builds the
# manifest from ctest and copies what each test reads; ninja builds those files first).
check_name=parawasm-$version-gpu-check
cstage=$out/stage/$check_name
cp -r "$stage" "$cstage"
needed=$(ctest --test-dir "$dir" -L gpu --show-only=json-v1 |
  python3 -c 'import json, os, sys
b = os.path.realpath(sys.argv[1]) + os.sep
for t in json.load(sys.stdin)["tests"]:
    for w in t.get("command") or []:
        for p in w.replace("=", "|").split("|"):
            if p.startswith(b): print(os.path.relpath(p, b))' "$dir" | sort -u)
# shellcheck disable=SC2086 # one file per word
[[ -z $needed ]] || ninja -C "$dir" $(grep -v -e '^parawasm$' -e '^tests/unit_' <<<"$needed" || true)
python3 scripts/gpu_manifest.py "$dir" "$root" "$cstage"
strip "$cstage"/check/build/tests/unit_* 2>/dev/null || true
mkdir -p "$cstage/check/lib"
cp "$dir/tests/libpw_fake_cuda.so" "$cstage/check/lib/"
# bench/gpu: its guests built here (clang is not on a GPU machine), its CUDA C sources to build
# there with nvcc, and CUDA programs built here when nvcc is present (used when there is none).
bench=$cstage/check/bench-gpu
bench_args=(--build-only --out "$dir/bench-gpu")
command -v nvcc >/dev/null || [[ -x /usr/local/cuda/bin/nvcc ]] || bench_args+=(--no-cuda)
bench/gpu/run.sh --arch sm_90 "${bench_args[@]}" >/dev/null
mkdir -p "$bench/parallel/sdk" "$bench/guest/sdk" "$bench/src/gpu" "$bench/src/parallel"
cp "$dir/bench-gpu/parallel/sdk/bench_guest.wasm" "$bench/parallel/sdk/"
cp "$dir/bench-gpu/guest/sdk/gpu_guest.wasm" "$bench/guest/sdk/"
[[ ! -d $dir/bench-gpu/cuda ]] || cp -r "$dir/bench-gpu/cuda" "$bench/cuda-prebuilt"
cp bench/gpu/run.sh bench/gpu/*.cu bench/gpu/*.cuh bench/gpu/*.h "$bench/src/gpu/"
cp bench/parallel/bench_common.h "$bench/src/parallel/"
cp scripts/gpu-check.sh "$cstage/check/"
tar -C "$out/stage" -cJf "$out/$check_name.tar.xz" "$check_name"
echo "package.sh: $out/$check_name.tar.xz ($(du -h "$out/$check_name.tar.xz" | cut -f1)," \
  "unpacked $(du -sh "$cstage" | cut -f1))"

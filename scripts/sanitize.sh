#!/usr/bin/env bash
# Sanitizer builds and runs: scripts/sanitize.sh [--build-only] [asan|tsan|all] [-- CTEST_ARGS...]
#   asan: ASan+UBSan (clang) into build-asan, then the suite minus the slow groups (see
#         docs/testing.md#sanitizers); also the build scripts/fuzz.sh uses.
#   tsan: TSan (clang) into build-tsan, then the parallel and threads tests.
# CTEST_ARGS replace the default selection (e.g. -- -R '^wast\.' to run only the wast scripts).
# The run-time options that guard pages and signal handlers need: scripts/sanitizer_env.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
# The sanitizer and libFuzzer run-times of Debian's clang.
dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null | grep -q "install ok installed" ||
  { sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq libclang-rt-14-dev; }
build_only=0
[[ ${1:-} == --build-only ]] && build_only=1 && shift
which=${1:-all}
shift || true
[[ ${1:-} == -- ]] && shift
user_args=("$@")
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
jobs=${PW_JOBS:-2}

# -fno-sanitize=function: calls into JIT code go through plain function pointers, and the check
# would read a signature prefix that JIT code does not have.
common="-fno-omit-frame-pointer -g"
asan="-fsanitize=address,undefined -fno-sanitize=function $common"
tsan="-fsanitize=thread $common"

source scripts/sanitizer_env.sh

configure() { # dir flags extra-cmake-args...
  local dir=$1 flags=$2
  shift 2
  [[ -f $dir/build.ninja ]] || cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="$flags" -DCMAKE_SHARED_LINKER_FLAGS="$flags" "$@"
}

status=0
if [[ $which == asan || $which == all ]]; then
  configure build-asan "$asan" -DPARAWASM_FUZZ=ON
  nice cmake --build build-asan -j "$jobs"
  ((build_only)) && exit 0
  # The default selection leaves out what is slow under ASan and adds nothing: the O2 variants of
  # the wast scripts (the same runtime paths as the fast tier), benchmarks and OpenMP's node runs;
  # the installed package, whose instrumented libraries programs built without ASan cannot link;
  # and the valgrind runs (valgrind cannot run an ASan program; their plain twins run).
  # openmp.for_schedules.native: libomp 14 runs schedule(dynamic) as nonmonotonic (static steal)
  # and often loses its lastprivate (docs/testing.md#sanitizers); the gcc build runs it.
  args=(-E '^(wast\.O2\.|bench\.|openmp\..*\.node$|openmp\.for_schedules\.native$|install\.|.*valgrind)'
        --timeout 900)
  ((${#user_args[@]})) && args=("${user_args[@]}")
  ctest --test-dir build-asan -j "$jobs" --output-on-failure "${args[@]}" || status=1
fi
if [[ $which == tsan || $which == all ]]; then
  configure build-tsan "$tsan"
  nice cmake --build build-tsan -j "$jobs"
  ((build_only)) && exit 0
  args=(-L '^(parallel|threads)$' -E 'gpu|valgrind' --timeout 900)
  ((${#user_args[@]})) && args=("${user_args[@]}")
  ctest --test-dir build-tsan -j "$jobs" --output-on-failure "${args[@]}" || status=1
fi
exit $status

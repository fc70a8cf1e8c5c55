#!/usr/bin/env bash
# install.embed: cmake --install into a temporary prefix, check the layout, then build every
# embedding host of `hosts` against the prefix and compare its output with
# tests/install/expected/. Also configures parawasm as a subproject with its options off.
#   install_test.sh SOURCE_DIR BUILD_DIR FAKE_CUDA_DRIVER   (PW_INSTALL_KEEP=1 keeps the tree)
# The hosts run with the fake CUDA driver (tests/unit/cuda/fake_driver): the same devices on every
# machine, and a GPU among them only where the CUDA back end was linked in.
set -euo pipefail
src=$(cd "$1" && pwd) build=$(cd "$2" && pwd)
export PARAWASM_CUDA_DRIVER=$3
unset PARAWASM_CUDA_DISABLE
here=$src/tests/install
tmp=$(mktemp -d)
[[ ${PW_INSTALL_KEEP:-} ]] && echo "install_test: keeping $tmp" || trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
fail() { echo "install_test: $*" >&2; exit 1; }

# --strip: as a package would be made; the static links are much faster without debug information.
cmake --install "$build" --prefix "$prefix" --strip >"$tmp/install.log" ||
  { cat "$tmp/install.log"; fail "cmake --install failed"; }

layout=(bin/parawasm include/wasm.h include/parawasm_wasi.h include/parawasm_parallel.h include/parawasm/parawasm.h include/parawasm/types.h include/parawasm/wasi.h
        include/parawasm/parallel.h lib/libparawasm.a lib/libparawasm.so
        lib/cmake/parawasm/parawasmConfig.cmake lib/cmake/parawasm/parawasmConfigVersion.cmake
        lib/cmake/parawasm/parawasmTargets.cmake lib/pkgconfig/parawasm.pc
        lib/pkgconfig/parawasm-static.pc share/parawasm/sdk/include/wasi_parallel.h
        share/parawasm/sdk/bin/wp-cc share/parawasm/sdk/cmake/WasiParallel.cmake
        share/parawasm/examples/embed/host.cpp)
for f in "${layout[@]}"; do
  [[ -e $prefix/$f ]] || fail "missing $f"
done
# One library, not one per component.
extra=$(cd "$prefix/lib" &&
  ls | grep -v -e '^libparawasm\.\(a\|so\)' -e '^cmake$' -e '^pkgconfig$' || true)
[[ -z $extra ]] || fail "unexpected in lib/: $extra"
"$prefix/bin/parawasm" --version >/dev/null || fail "bin/parawasm --version"

examples=$prefix/share/parawasm/examples
[[ -f $examples/vector_add.wasm ]] ||
  { echo "install_test: no example guests built, skipped"; exit 77; }

# One row per embedding host: name, build (cmake: find_package(parawasm), cmake-static: the same
# with PARAWASM_LINK_STATIC, make: its Makefile with pkg-config, make-static: STATIC=1), its
# source folder under share/parawasm/examples, the program built, the expected output
# (tests/install/expected) and its arguments (run in share/parawasm/examples). The C hosts use only
# the standard wasm.h and parawasm's C headers (docs/c-api.md).
hosts=(
  "cxx-cmake         cmake         embed  embed_host  embed_host.stdout  vector_add.wasm 1"
  "cxx-cmake-static  cmake-static  embed  embed_host  embed_host.stdout  vector_add.wasm 1"
  "cxx-pkgconfig     make          embed  embed_host  embed_host.stdout  vector_add.wasm 1"
  "cxx-pkgconfig-st  make-static   embed  embed_host  embed_host.stdout  vector_add.wasm 1"
  "c-cmake           cmake         embed  c_host      c_host.stdout      vector_add.wasm cpu 2"
  "c-pkgconfig-st    make-static   embed  c_host      c_host.stdout      vector_add.wasm cpu 2"
)

declare -A built # kind-dir -> the host whose build made it: one build serves every program in it
build_host() { # name kind dir: builds into $tmp/name
  local out=$tmp/$1 dir=$examples/$3
  if [[ -n ${built[$2-$3]:-} ]]; then
    ln -s "$tmp/${built[$2-$3]}" "$out"
    return
  fi
  built[$2-$3]=$1
  case $2 in
  cmake | cmake-static)
    local static=OFF
    [[ $2 == cmake-static ]] && static=ON
    cmake -S "$dir" -B "$out" -DCMAKE_PREFIX_PATH="$prefix" -DPARAWASM_LINK_STATIC=$static \
      -DCMAKE_BUILD_TYPE=Release >"$out.log" 2>&1 &&
      cmake --build "$out" >>"$out.log" 2>&1 ;;
  make | make-static)
    local static=
    [[ $2 == make-static ]] && static=1
    mkdir -p "$out" &&
      PKG_CONFIG_PATH=$prefix/lib/pkgconfig make -C "$out" -f "$dir/Makefile" STATIC=$static \
        LDFLAGS="-Wl,-rpath,$prefix/lib" >"$out.log" 2>&1 ;;
  *) fail "unknown build kind $2" ;;
  esac || { cat "$out.log"; fail "$1: build failed"; }
}

for row in "${hosts[@]}"; do
  read -r name kind dir program expected args <<<"$row"
  build_host "$name" "$kind" "$dir"
  # shellcheck disable=SC2086 # args is a list
  status=0
  (cd "$examples" && "$tmp/$name/$program" $args) >"$tmp/$name.stdout" 2>"$tmp/$name.stderr" ||
    status=$?
  ((status == 0)) || { cat "$tmp/$name.stderr"; fail "$name: exit status $status"; }
  diff -u "$here/expected/$expected" "$tmp/$name.stdout" || fail "$name: output differs"
  echo "install_test: $name ok"
done

# The shared host finds libparawasm.so in the prefix, and the static one does not need it.
# (grep reads all its input: with pipefail, an early exit of grep -q would fail the pipe.)
readelf -d "$tmp/cxx-cmake/embed_host" | grep 'NEEDED.*libparawasm\.so' >/dev/null ||
  fail "cxx-cmake: not linked with libparawasm.so"
readelf -d "$tmp/cxx-cmake-static/embed_host" | grep 'libparawasm\.so' >/dev/null &&
  fail "cxx-cmake-static: linked with libparawasm.so"
# The static links kept the CUDA back end (registered from a static initialiser).
for name in cxx-cmake-static cxx-pkgconfig-st; do
  nm "$tmp/$name/embed_host" | grep ' parawasm_cuda_backend$' >/dev/null ||
    fail "$name: no CUDA back end"
done

# An error path: a guest that is not there is an i/o error, reported, with status 1.
status=0
"$tmp/cxx-cmake/embed_host" "$tmp/missing.wasm" >/dev/null 2>"$tmp/missing.stderr" || status=$?
[[ $status == 1 ]] && grep -q '^load: i/o: cannot open' "$tmp/missing.stderr" ||
  { cat "$tmp/missing.stderr"; fail "missing guest: status $status"; }

# parawasm as a subproject, with its tests, examples and benchmarks off: configures without
# GoogleTest (a find_package(GTest REQUIRED) would fail, being disabled) and defines
# parawasm::parawasm but none of the top-level build's tests, examples or package libraries.
mkdir -p "$tmp/sub"
cat >"$tmp/sub/CMakeLists.txt" <<EOS
cmake_minimum_required(VERSION 3.25)
project(uses_parawasm LANGUAGES C CXX)
add_subdirectory("$src" parawasm)
add_executable(app "$src/examples/embed/host.cpp")
target_link_libraries(app PRIVATE parawasm::parawasm)
foreach(t unit_api pw_fake_cuda parawasm_shared example_vector_add)
  if(TARGET \${t})
    message(FATAL_ERROR "subproject defines \${t}")
  endif()
endforeach()
EOS
cmake -S "$tmp/sub" -B "$tmp/sub/build" -G Ninja -DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON \
  >"$tmp/sub.log" 2>&1 || { cat "$tmp/sub.log"; fail "subproject: configure failed"; }
echo "install_test: subproject ok"

#!/usr/bin/env bash
# Installs every build and test dependency from Debian bookworm packages (only what is missing).
# Debian's nodejs is v18; the tests pass --experimental-wasi-unstable-preview1, so 18 and 20 work.
set -euo pipefail
packages=(cmake ninja-build ccache g++ llvm-19-dev llvm-19-tools wabt googletest libgtest-dev
          clang lld wasi-libc libclang-rt-14-dev-wasm32 libc++-14-dev-wasm32
          libc++abi-14-dev-wasm32 nodejs python3 rustc libstd-rust-dev-wasm32
          zlib1g-dev xz-utils pkgconf make bc valgrind openmpi-bin)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi

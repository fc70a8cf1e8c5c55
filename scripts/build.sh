#!/usr/bin/env bash
# Set-up, configure and build: scripts/build.sh [BUILD_DIR] (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
dir=${1:-build}
# Let ccache reuse objects compiled in another checkout of the same sources (CI clones afresh).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
[[ -f $dir/build.ninja ]] || cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$dir"

#!/usr/bin/env bash
# wp-kernel refuses what would give silent wrong results (issue 16): a pointer without its
# length in the C signature, and -mno-atomics; a histogram kernel keeps its atomics.
#   wp_kernel_test.sh SDK_DIR CLANG WASM_OBJDUMP
set -u
sdk=$1
export WP_CLANG=$2 WP_WASM_OBJDUMP=$3
T=$(mktemp -d "${TMPDIR:-/tmp}/pw-wp-kernel.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; cat "$T/err"; exit 1; }
cat >"$T/no_len.c" <<'C'
#include <wasi_parallel_kernel.h>
WP_KERNEL_EXPORT void kernel(int32_t i, int32_t n, int32_t b, const float *a, float *c) {
  c[i] = a[i];
}
C
cat >"$T/hist.c" <<'C'
#include <wasi_parallel_kernel.h>
WP_KERNEL_EXPORT void kernel(int32_t i, int32_t n, int32_t b, const uint32_t *v, uint32_t v_len,
                             uint32_t *h, uint32_t h_len) {
  __atomic_fetch_add(&h[v[i] % 4], 1u, __ATOMIC_RELAXED);
}
C
"$sdk/bin/wp-kernel" -o "$T/no_len.h" "$T/no_len.c" 2>"$T/err" && fail "a pointer without its length was accepted"
grep -q "follows the pointer 'const float \*a' where its length belongs" "$T/err" || fail "no reason given"
"$sdk/bin/wp-kernel" -mno-atomics -o "$T/h.h" "$T/hist.c" 2>"$T/err" && fail "-mno-atomics was accepted"
grep -q "lose updates" "$T/err" || fail "no reason given for -mno-atomics"
"$sdk/bin/wp-kernel" -o "$T/h.h" "$T/hist.c" 2>"$T/err" || fail "the histogram kernel was refused"
"$3" -d "$T/h.wasm" | grep -q 'i32.atomic.rmw.add' || fail "the kernel lost its atomics"
echo ok

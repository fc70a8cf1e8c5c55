#!/usr/bin/env bash
# wp-kernel refuses what would give silent wrong results (issue 16): a pointer without its
# length in the C signature, and -mno-atomics; a histogram kernel keeps its atomics. With a
# rustc (4th argument), the same for Rust kernels: Rust's panicking slice indexing is refused
# with its reason, and an atomic histogram through Out::atomic keeps its atomics.
#   wp_kernel_test.sh SDK_DIR CLANG WASM_OBJDUMP [RUSTC]
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
if [[ -n ${4:-} ]]; then
  export WP_RUSTC=$4
  cat >"$T/slice.rs" <<'RS'
#![no_std]
use wasi_parallel_kernel as _;
#[no_mangle]
pub unsafe extern "C" fn kernel(i: i32, _n: i32, _b: i32, a: *const f32, al: u32, c: *mut f32, cl: u32) {
    let a = core::slice::from_raw_parts(a, al as usize / 4);
    let c = core::slice::from_raw_parts_mut(c, cl as usize / 4);
    c[i as usize] = a[i as usize];
}
RS
  cat >"$T/hist_rs.rs" <<'RS'
#![no_std]
use core::sync::atomic::Ordering;
use wasi_parallel_kernel::{In, Out};
#[no_mangle]
pub extern "C" fn kernel(i: i32, _n: i32, _b: i32, v: *const u32, vl: u32, h: *mut u32, hl: u32) {
    let (v, h) = (In::new(v, vl), Out::new(h, hl));
    h.atomic(v.get(i as u32) % 4).fetch_add(1, Ordering::Relaxed);
}
RS
  "$sdk/bin/wp-kernel" -o "$T/slice.h" "$T/slice.rs" 2>"$T/err" && fail "a panicking Rust kernel was accepted"
  grep -q "data segment" "$T/err" || fail "no reason given for the Rust kernel"
  "$sdk/bin/wp-kernel" -o "$T/hr.h" "$T/hist_rs.rs" 2>"$T/err" || fail "the Rust histogram kernel was refused"
  "$3" -d "$T/hr.wasm" | grep -q 'i32.atomic.rmw.add' || fail "the Rust kernel lost its atomics"
  "$sdk/bin/wp-kernel" -DX=1 -o "$T/hr.h" "$T/hist_rs.rs" 2>"$T/err" && fail "a C flag was accepted for Rust"
  grep -q "only -O0..-O3 apply to Rust kernels" "$T/err" || fail "no reason given for -D on Rust"
fi
echo ok

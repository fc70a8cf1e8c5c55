/*
 * For writing wasi-parallel kernels in C (built with sdk/bin/wp-kernel or wasi_parallel_kernel()).
 *
 * A kernel source defines exactly one entry point:
 *
 *   WP_KERNEL_EXPORT void kernel(int32_t iteration, int32_t num_iterations, int32_t block_size,
 *                                const float *a, uint32_t a_len,   // in-buffers, in order
 *                                float *c, uint32_t c_len);        // then out-buffers
 *
 * Each buffer arrives as (pointer into the caller's memory, length in bytes). The kernel runs
 * freestanding: no libc, no static or constant data, no address-taken locals or local arrays
 * (they would need a shadow stack in the caller's memory), no function pointers, no
 * memory.grow. wp-kernel checks these rules on the built module; docs/wasi-parallel.md explains
 * why. Use the wp_* math helpers below instead of <math.h> (they become single Wasm
 * instructions).
 */
#ifndef WASI_PARALLEL_KERNEL_H
#define WASI_PARALLEL_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#if defined(__wasm__)
#define WP_KERNEL_EXPORT __attribute__((export_name("kernel")))
#else
#define WP_KERNEL_EXPORT
#endif

/* Clang lowers these straight to Wasm instructions, so they never become library calls. */
#define wp_sqrt(x) __builtin_sqrt(x)
#define wp_sqrtf(x) __builtin_sqrtf(x)
#define wp_fabs(x) __builtin_fabs(x)
#define wp_fabsf(x) __builtin_fabsf(x)
#define wp_floor(x) __builtin_floor(x)
#define wp_floorf(x) __builtin_floorf(x)
#define wp_ceil(x) __builtin_ceil(x)
#define wp_ceilf(x) __builtin_ceilf(x)
#define wp_trunc(x) __builtin_trunc(x)
#define wp_truncf(x) __builtin_truncf(x)
#define wp_copysign(x, y) __builtin_copysign(x, y)
#define wp_copysignf(x, y) __builtin_copysignf(x, y)

/* Wasm min/max: NaN if either operand is NaN, and -0 < +0 (unlike C's fmin/fmax). */
#if defined(__wasm__)
#define wp_fmin(x, y) __builtin_wasm_min_f64(x, y)
#define wp_fmax(x, y) __builtin_wasm_max_f64(x, y)
#define wp_fminf(x, y) __builtin_wasm_min_f32(x, y)
#define wp_fmaxf(x, y) __builtin_wasm_max_f32(x, y)
#endif

#endif /* WASI_PARALLEL_KERNEL_H */

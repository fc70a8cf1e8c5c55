// Iteration r rotates row r of `in` left by r % 61 bytes into row r of `out`, then clears a run
// of r % 23 bytes of it: copies and a fill of lengths known only at run time, which clang turns
// into memory.copy and memory.fill (the SDK builds kernels with -mbulk-memory). One row is
// kRowBytes; the caller checks every byte against its own loop.
#include <wasi_parallel_kernel.h>

enum { kRowBytes = 200 };

WP_KERNEL_EXPORT void kernel(int32_t r, int32_t n, int32_t block, const uint8_t *in,
                             uint32_t in_len, uint8_t *out, uint32_t out_len) {
  const uint8_t *src = in + (uint32_t)r * kRowBytes;
  uint8_t *dst = out + (uint32_t)r * kRowBytes;
  uint32_t shift = (uint32_t)r % 61, clear = (uint32_t)r % 23;
  __builtin_memcpy(dst, src + shift, kRowBytes - shift);
  __builtin_memcpy(dst + kRowBytes - shift, src, shift);
  __builtin_memset(dst + (uint32_t)r % 150, 0, clear);
}

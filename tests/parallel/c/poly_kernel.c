// out[i] = a floating-point function of in[i]: Wasm arithmetic is the same on every device (no
// fused multiply-add, correctly rounded sqrt and division), so the bytes must be too.
#include <wasi_parallel_kernel.h>

WP_KERNEL_EXPORT void kernel(int32_t i, int32_t n, int32_t block, const double *in, uint32_t in_len,
                             double *out, uint32_t out_len) {
  double x = in[i];
  double y = wp_sqrt(x * x + 1.0) / (x + 3.0);
  for (int k = 0; k < 8; k++)
    y = y * 0.75 + x / (y + 2.0);
  out[i] = y - wp_floor(y);
}

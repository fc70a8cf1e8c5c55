// The STREAM triad a[i] = b[i] + scalar * c[i]; scalar comes in a one-double buffer.
#include <wasi_parallel_kernel.h>

WP_KERNEL_EXPORT void kernel(int32_t i, int32_t num_iterations, int32_t block_size, const double *b,
                             uint32_t b_len, const double *c, uint32_t c_len, const double *scalar,
                             uint32_t scalar_len, double *a, uint32_t a_len) {
  (void)num_iterations, (void)block_size, (void)b_len, (void)c_len, (void)scalar_len, (void)a_len;
  a[i] = b[i] + *scalar * c[i];
}

// c[i] = a[i] + b[i]: one iteration per element.
#include <wasi_parallel_kernel.h>

WP_KERNEL_EXPORT void kernel(int32_t i, int32_t num_iterations, int32_t block_size, const float *a,
                             uint32_t a_len, const float *b, uint32_t b_len, float *c,
                             uint32_t c_len) {
  (void)num_iterations, (void)block_size, (void)a_len, (void)b_len, (void)c_len;
  c[i] = a[i] + b[i];
}

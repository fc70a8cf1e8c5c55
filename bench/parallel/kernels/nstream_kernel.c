// STREAM triad with update, one element per iteration: A[i] += B[i] + scalar * C[i].
#include <wasi_parallel_kernel.h>

WP_KERNEL_EXPORT void kernel(int32_t i, int32_t n, int32_t block, const double *params,
                             uint32_t params_len, const double *b, uint32_t b_len, const double *c,
                             uint32_t c_len, double *a, uint32_t a_len) {
  a[i] += b[i] + params[0] * c[i];
}

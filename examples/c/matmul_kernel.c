// C = A * B for n x n doubles, one iteration per element of C; params[0] = n.
#include <wasi_parallel_kernel.h>

WP_KERNEL_EXPORT void kernel(int32_t id, int32_t num_iterations, int32_t block_size,
                             const int32_t *params, uint32_t params_len, const double *a,
                             uint32_t a_len, const double *b, uint32_t b_len, double *c,
                             uint32_t c_len) {
  (void)num_iterations, (void)block_size, (void)params_len, (void)a_len, (void)b_len, (void)c_len;
  int32_t n = params[0];
  int32_t i = id / n, j = id % n;
  double sum = 0.0;
  for (int32_t k = 0; k < n; k++)
    sum += a[i * n + k] * b[k * n + j];
  c[id] = sum;
}

// One row of C = A B (order n, doubles), i-k-j loop order so the inner loop streams rows of B.
#include <wasi_parallel_kernel.h>

WP_KERNEL_EXPORT void kernel(int32_t i, int32_t rows, int32_t block, const int32_t *params,
                             uint32_t params_len, const double *a, uint32_t a_len, const double *b,
                             uint32_t b_len, double *c, uint32_t c_len) {
  int32_t n = params[0];
  double *ci = c + (size_t)i * n;
  for (int32_t j = 0; j < n; j++)
    ci[j] = 0;
  for (int32_t k = 0; k < n; k++) {
    double aik = a[(size_t)i * n + k];
    const double *bk = b + (size_t)k * n;
    for (int32_t j = 0; j < n; j++)
      ci[j] += aik * bk[j];
  }
}

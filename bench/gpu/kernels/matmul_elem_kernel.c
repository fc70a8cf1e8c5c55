// One element of C = A B (order n, doubles) per iteration: iteration id = i * n + j, so
// neighbouring iterations (a GPU warp) read neighbouring elements of B's row k and the same
// element of A. The sum runs over k in order from 0, as in bench/parallel's row kernel, so both
// round identically.
#include <wasi_parallel_kernel.h>

WP_KERNEL_EXPORT void kernel(int32_t id, int32_t count, int32_t block, const int32_t *params,
                             uint32_t params_len, const double *a, uint32_t a_len, const double *b,
                             uint32_t b_len, double *c, uint32_t c_len) {
  int32_t n = params[0];
  int32_t i = id / n, j = id % n;
  const double *ai = a + (size_t)i * n;
  double s = 0;
  for (int32_t k = 0; k < n; k++)
    s += ai[k] * b[(size_t)k * n + j];
  c[id] = s;
}

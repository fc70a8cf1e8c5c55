// wasi-parallel kernel for dgemm: one iteration per row of C. In: params {order}, A, B; out: C
// (read_write).
#include <wasi_parallel_kernel.h>

#include "dgemm.h"

WP_KERNEL_EXPORT void kernel(int32_t i, int32_t num_iterations, int32_t block_size,
                             const int32_t *params, uint32_t params_len, const double *a,
                             uint32_t a_len, const double *b, uint32_t b_len, double *c,
                             uint32_t c_len) {
  (void)num_iterations, (void)block_size, (void)params_len, (void)a_len, (void)b_len, (void)c_len;
  dgemmRow(i, params[0], a, b, c);
}

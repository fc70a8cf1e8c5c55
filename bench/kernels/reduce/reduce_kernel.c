// wasi-parallel kernel for reduce: one iteration per element. In: params {length}; out: the
// private vectors V and the result R (both read_write).
#include <wasi_parallel_kernel.h>

#include "reduce.h"

WP_KERNEL_EXPORT void kernel(int32_t i, int32_t num_iterations, int32_t block_size,
                             const int32_t *params, uint32_t params_len, double *v, uint32_t v_len,
                             double *r, uint32_t r_len) {
  (void)num_iterations, (void)block_size, (void)params_len, (void)v_len, (void)r_len;
  reduceElement(i, params[0], v, r);
}

// wasi-parallel kernel for the input update: one iteration per row. In: params {n}; out: IN
// (read_write).
#include <wasi_parallel_kernel.h>

#include "stencil.h"

WP_KERNEL_EXPORT void kernel(int32_t row, int32_t num_iterations, int32_t block_size,
                             const int32_t *params, uint32_t params_len, double *in,
                             uint32_t in_len) {
  (void)num_iterations, (void)block_size, (void)params_len, (void)in_len;
  stencilShiftRow(row, params[0], in);
}

// wasi-parallel kernel for sparse's vector update: one iteration per row. Out: x (read_write).
#include <wasi_parallel_kernel.h>

#include "sparse.h"

WP_KERNEL_EXPORT void kernel(int32_t row, int32_t num_iterations, int32_t block_size, double *x,
                             uint32_t x_len) {
  (void)num_iterations, (void)block_size, (void)x_len;
  sparseFill(row, x);
}

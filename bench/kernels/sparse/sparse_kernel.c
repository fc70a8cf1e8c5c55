// wasi-parallel kernel for sparse's matrix-vector product: one iteration per row. In: params
// {stencil}, matrix, column indices, x; out: y (read_write).
#include <wasi_parallel_kernel.h>

#include "sparse.h"

WP_KERNEL_EXPORT void kernel(int32_t row, int32_t num_iterations, int32_t block_size,
                             const int32_t *params, uint32_t params_len, const double *matrix,
                             uint32_t matrix_len, const int32_t *columns, uint32_t columns_len,
                             const double *x, uint32_t x_len, double *y, uint32_t y_len) {
  (void)num_iterations, (void)block_size, (void)params_len, (void)matrix_len, (void)columns_len,
      (void)x_len, (void)y_len;
  sparseRow(row, params[0], matrix, columns, x, y);
}

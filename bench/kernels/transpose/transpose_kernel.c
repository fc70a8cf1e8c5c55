// wasi-parallel kernel for transpose: one iteration per tile. In: params {order}; out: A, B
// (both read_write).
#include <wasi_parallel_kernel.h>

#include "transpose.h"

WP_KERNEL_EXPORT void kernel(int32_t tile, int32_t num_iterations, int32_t block_size,
                             const int32_t *params, uint32_t params_len, double *a, uint32_t a_len,
                             double *b, uint32_t b_len) {
  (void)num_iterations, (void)block_size, (void)params_len, (void)a_len, (void)b_len;
  transposeTile(tile, params[0], a, b);
}

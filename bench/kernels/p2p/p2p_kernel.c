// wasi-parallel kernel for p2p: one iteration per point of the diagonal params[2]. In: params
// {m, n, d}; out: A (read_write).
#include <wasi_parallel_kernel.h>

#include "p2p.h"

WP_KERNEL_EXPORT void kernel(int32_t k, int32_t num_iterations, int32_t block_size,
                             const int32_t *params, uint32_t params_len, double *a,
                             uint32_t a_len) {
  (void)num_iterations, (void)block_size, (void)params_len, (void)a_len;
  p2pPoint(k, params[2], params[0], params[1], a);
}

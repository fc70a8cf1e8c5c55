// wasi-parallel kernel for the stencil step: one iteration per interior row (row = iteration +
// radius). In: params {n}, IN; out: OUT (read_write).
#include <wasi_parallel_kernel.h>

#include "stencil.h"

WP_KERNEL_EXPORT void kernel(int32_t id, int32_t num_iterations, int32_t block_size,
                             const int32_t *params, uint32_t params_len, const double *in,
                             uint32_t in_len, double *out, uint32_t out_len) {
  (void)num_iterations, (void)block_size, (void)params_len, (void)in_len, (void)out_len;
  stencilRow(id + STENCIL_RADIUS, params[0], in, out);
}

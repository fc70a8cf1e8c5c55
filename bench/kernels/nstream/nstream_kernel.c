// wasi-parallel kernel for nstream: one iteration per element. In: B, C; out: A (read_write).
#include <wasi_parallel_kernel.h>

#include "nstream.h"

WP_KERNEL_EXPORT void kernel(int32_t j, int32_t num_iterations, int32_t block_size, const double *b,
                             uint32_t b_len, const double *c, uint32_t c_len, double *a,
                             uint32_t a_len) {
  (void)num_iterations, (void)block_size, (void)b_len, (void)c_len, (void)a_len;
  nstreamElement(j, a, b, c);
}

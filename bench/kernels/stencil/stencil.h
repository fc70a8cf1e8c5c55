// PRK stencil: a radius-2 star stencil applied to the interior of an n x n grid, then every
// point of the input grid raised by 1. The weights are +-1/(2 r R) along each axis, so for the
// input i + j each application adds 2 to every interior output point. Shared by the driver
// (stencil.c) and the wasi-parallel kernels (stencil_kernel.c, stencil_shift_kernel.c);
// freestanding.
#ifndef PRK_STENCIL_H
#define PRK_STENCIL_H
#include <stdint.h>

#define STENCIL_RADIUS 2

// out[i][j] += stencil(in) for interior row i and every interior column j.
static inline void stencilRow(int32_t i, int32_t n, const double *restrict in,
                              double *restrict out) {
  for (int32_t j = STENCIL_RADIUS; j < n - STENCIL_RADIUS; j++)
    out[i * n + j] += in[i * n + j - 2] * -0.125 + in[i * n + j - 1] * -0.25 +
                      in[(i - 2) * n + j] * -0.125 + in[(i - 1) * n + j] * -0.25 +
                      in[(i + 1) * n + j] * 0.25 + in[(i + 2) * n + j] * 0.125 +
                      in[i * n + j + 1] * 0.25 + in[i * n + j + 2] * 0.125;
}

// in[i][j] += 1 for every column j of row i.
static inline void stencilShiftRow(int32_t i, int32_t n, double *in) {
  for (int32_t j = 0; j < n; j++)
    in[i * n + j] += 1.0;
}
#endif

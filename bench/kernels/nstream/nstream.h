// PRK nstream: the STREAM triad A[j] += B[j] + scalar * C[j]. Shared by the driver
// (nstream.c) and the wasi-parallel kernel (nstream_kernel.c); freestanding.
#ifndef PRK_NSTREAM_H
#define PRK_NSTREAM_H
#include <stdint.h>

#define NSTREAM_SCALAR 3.0

static inline void nstreamElement(int32_t j, double *restrict a, const double *restrict b,
                                  const double *restrict c) {
  a[j] += b[j] + NSTREAM_SCALAR * c[j];
}
#endif

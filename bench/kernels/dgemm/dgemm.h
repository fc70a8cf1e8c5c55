// PRK dgemm: C += A * B for order x order doubles, one row of C at a time (i-k-j order, so the
// inner loop runs along rows of B and C). Shared by the driver (dgemm.c) and the wasi-parallel
// kernel (dgemm_kernel.c); freestanding.
#ifndef PRK_DGEMM_H
#define PRK_DGEMM_H
#include <stdint.h>

static inline void dgemmRow(int32_t i, int32_t order, const double *restrict a,
                            const double *restrict b, double *restrict c) {
  double *row = c + i * order;
  for (int32_t k = 0; k < order; k++) {
    double aik = a[i * order + k];
    const double *bk = b + k * order;
    for (int32_t j = 0; j < order; j++)
      row[j] += aik * bk[j];
  }
}
#endif

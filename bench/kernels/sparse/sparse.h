// PRK sparse: y += A x for the matrix of a periodic 2D star stencil (radius r, 4r + 1 nonzeros
// per row) on a 2^lsize x 2^lsize grid, with the grid numbering bit-reversed so that rows touch
// scattered columns. Before each product, x[row] += row + 1. Rows are stored in compressed
// form with a fixed number of entries (`stencil`) per row. Shared by the driver (sparse.c) and
// the wasi-parallel kernels (sparse_fill_kernel.c, sparse_kernel.c); freestanding.
#ifndef PRK_SPARSE_H
#define PRK_SPARSE_H
#include <stdint.h>

static inline void sparseFill(int32_t row, double *x) { x[row] += (double)(row + 1); }

static inline void sparseRow(int32_t row, int32_t stencil, const double *restrict matrix,
                             const int32_t *restrict columns, const double *restrict x,
                             double *restrict y) {
  double sum = 0.0;
  for (int32_t e = row * stencil; e < (row + 1) * stencil; e++)
    sum += matrix[e] * x[columns[e]];
  y[row] += sum;
}
#endif

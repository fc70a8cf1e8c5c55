// PRK synch_p2p as a wavefront: A[i][j] = A[i-1][j] + A[i][j-1] - A[i-1][j-1] over an m x n
// grid, swept one anti-diagonal (i + j = d, d = 2 .. m+n-2) at a time; the points of one
// diagonal depend only on earlier diagonals. The last diagonal's single point also copies the
// negated corner to A[0][0], which the next sweep starts from. Shared by the driver (p2p.c) and
// the wasi-parallel kernel (p2p_kernel.c); freestanding.
#ifndef PRK_P2P_H
#define PRK_P2P_H
#include <stdint.h>

static inline int32_t p2pDiagonalFirstRow(int32_t d, int32_t n) {
  return d - (n - 1) > 1 ? d - (n - 1) : 1;
}

static inline int32_t p2pDiagonalLength(int32_t d, int32_t m, int32_t n) {
  int32_t last = d - 1 < m - 1 ? d - 1 : m - 1;
  return last - p2pDiagonalFirstRow(d, n) + 1;
}

// The k-th point of diagonal d.
static inline void p2pPoint(int32_t k, int32_t d, int32_t m, int32_t n, double *a) {
  int32_t i = p2pDiagonalFirstRow(d, n) + k, j = d - i;
  a[i * n + j] = a[(i - 1) * n + j] + a[i * n + j - 1] - a[(i - 1) * n + j - 1];
  if (i == m - 1 && j == n - 1)
    a[0] = -a[i * n + j];
}
#endif

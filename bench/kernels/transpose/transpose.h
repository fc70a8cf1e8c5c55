// PRK transpose: B += A^T, then A += 1, by square tiles. Tile t covers rows it..it+TILE of B and
// the matching columns of A, so distinct tiles touch distinct elements. Shared by the driver
// (transpose.c) and the wasi-parallel kernel (transpose_kernel.c); freestanding.
#ifndef PRK_TRANSPOSE_H
#define PRK_TRANSPOSE_H
#include <stdint.h>

#define TRANSPOSE_TILE 32

static inline int32_t transposeTilesPerSide(int32_t order) {
  return (order + TRANSPOSE_TILE - 1) / TRANSPOSE_TILE;
}

static inline void transposeTile(int32_t tile, int32_t order, double *restrict a,
                                 double *restrict b) {
  int32_t tiles = transposeTilesPerSide(order);
  int32_t i0 = tile / tiles * TRANSPOSE_TILE, j0 = tile % tiles * TRANSPOSE_TILE;
  int32_t i1 = i0 + TRANSPOSE_TILE < order ? i0 + TRANSPOSE_TILE : order;
  int32_t j1 = j0 + TRANSPOSE_TILE < order ? j0 + TRANSPOSE_TILE : order;
  for (int32_t i = i0; i < i1; i++)
    for (int32_t j = j0; j < j1; j++) {
      b[i * order + j] += a[j * order + i];
      a[j * order + i] += 1.0;
    }
}
#endif

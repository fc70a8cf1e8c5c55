// PRK reduce, for a fixed number of vectors: REDUCE_VECTORS private vectors of `length` doubles
// (stored one after another in v) each get a local update, and then their element-wise sum is
// accumulated into the result vector r. In the PRK the private vectors belong to threads; here
// their number is fixed so that every variant computes the same thing. One call handles element
// i of all vectors. Shared by the driver (reduce.c) and the wasi-parallel kernel
// (reduce_kernel.c); freestanding.
#ifndef PRK_REDUCE_H
#define PRK_REDUCE_H
#include <stdint.h>

#define REDUCE_VECTORS 8

static inline void reduceElement(int32_t i, int32_t length, double *restrict v,
                                 double *restrict r) {
  double sum = 0.0;
  for (int32_t p = 0; p < REDUCE_VECTORS; p++) {
    double x = v[p * length + i] + 1.0;
    v[p * length + i] = x;
    sum += x;
  }
  r[i] += sum;
}
#endif

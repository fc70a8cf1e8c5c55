// PRK sparse driver (see ../common/prk.h for the variants and the output). SIZE: lsize, the
// grid is 2^lsize x 2^lsize and the matrix has 2^(2 lsize) rows; the stencil radius is 2.
#include "sparse.h"
#include "../common/prk.h"
#ifdef PRK_WP
#include "prk_sparse_fill_kernel.h"
#include "prk_sparse_kernel.h"
#endif

#include <math.h>

#define SPARSE_RADIUS 2

static const PrkPreset presets[3] = {{"small", 8, 10}, {"medium", 10, 10}, {"large", 11, 10}};

// The lowest `bits` bits of x in reverse order.
static int32_t reverseBits(uint32_t x, int bits) {
  uint32_t r = 0;
  for (int b = 0; b < bits; b++)
    r |= ((x >> b) & 1u) << (bits - 1 - b);
  return (int32_t)r;
}

int main(int argc, char **argv) {
  PrkArgs args = prkParseArgs(argc, argv, "sparse", "lsize (log2 of the grid side)", presets, 64);
  int lsize = prkCheckedSize(args.size, 12, "lsize");
  int32_t size = 1 << lsize, rows = size * size, stencil = 4 * SPARSE_RADIUS + 1;
  if (size <= 2 * SPARSE_RADIUS) {
    fprintf(stderr, "sparse: lsize must be at least 3\n");
    return 2;
  }
  int64_t nent = (int64_t)rows * stencil;
  double *matrix = prkAlloc((size_t)nent * sizeof(double));
  int32_t *columns = prkAlloc((size_t)nent * sizeof(int32_t));
  double *x = prkAlloc((size_t)rows * sizeof(double)), *y = prkAlloc((size_t)rows * sizeof(double));

  // Row (i, j) of the grid couples to its periodic star neighbours; the columns of each row are
  // sorted so the product walks x in increasing order, and entry = 1 / (column + 1).
  for (int32_t row = 0; row < rows; row++) {
    int32_t i = row % size, j = row / size, *c = columns + (int64_t)row * stencil;
#define LIN(ii, jj) ((uint32_t)(ii) + ((uint32_t)(jj) << lsize))
    c[0] = reverseBits(LIN(i, j), 2 * lsize);
    for (int32_t r = 1; r <= SPARSE_RADIUS; r++) {
      c[4 * r - 3] = reverseBits(LIN((i + r) % size, j), 2 * lsize);
      c[4 * r - 2] = reverseBits(LIN((i - r + size) % size, j), 2 * lsize);
      c[4 * r - 1] = reverseBits(LIN(i, (j + r) % size), 2 * lsize);
      c[4 * r] = reverseBits(LIN(i, (j - r + size) % size), 2 * lsize);
    }
#undef LIN
    for (int32_t e = 1; e < stencil; e++) // insertion sort: a row has only 4r + 1 entries
      for (int32_t f = e; f > 0 && c[f - 1] > c[f]; f--) {
        int32_t t = c[f];
        c[f] = c[f - 1];
        c[f - 1] = t;
      }
    for (int32_t e = 0; e < stencil; e++)
      matrix[(int64_t)row * stencil + e] = 1.0 / (double)(c[e] + 1);
  }
  for (int32_t row = 0; row < rows; row++)
    x[row] = y[row] = 0.0;
#ifdef PRK_WP
  wp_device_t device = prkDevice(&args);
  int32_t params[] = {stencil};
  wp_buffer_t x_buffer = wp_buffer_inout(device, x, (size_t)rows * sizeof(double));
  wp_buffer_t fill_out[] = {x_buffer};
  wp_buffer_t spmv_in[] = {wp_buffer_in(device, params, sizeof params),
                           wp_buffer_in(device, matrix, (size_t)nent * sizeof(double)),
                           wp_buffer_in(device, columns, (size_t)nent * sizeof(int32_t)), x_buffer};
  wp_buffer_t spmv_out[] = {wp_buffer_inout(device, y, (size_t)rows * sizeof(double))};
#endif

  double start = 0.0;
  for (int iter = 0; iter <= args.iters; iter++) {
    if (iter == 1)
      start = prkWtime();
#ifdef PRK_WP
    wp_exec(device, prk_sparse_fill_kernel, (uint32_t)rows, args.block, NULL, 0, fill_out, 1);
    wp_exec(device, prk_sparse_kernel, (uint32_t)rows, args.block, spmv_in, 4, spmv_out, 1);
#else
    PRK_PARALLEL_FOR
    for (int32_t row = 0; row < rows; row++)
      sparseFill(row, x);
    PRK_PARALLEL_FOR
    for (int32_t row = 0; row < rows; row++)
      sparseRow(row, stencil, matrix, columns, x, y);
#endif
  }
  double seconds = prkWtime() - start;
#ifdef PRK_WP
  wp_read(spmv_out[0], y, (size_t)rows * sizeof(double));
#endif

  // Each entry contributes (1 / (c + 1)) * (c + 1) * t in run t, so the sum is
  // nent * T (T + 1) / 2 for T = iterations + 1 runs.
  double checksum = 0.0;
  for (int32_t row = 0; row < rows; row++)
    checksum += y[row];
  double reference = 0.5 * (double)nent * (args.iters + 1.0) * (args.iters + 2.0);
  int valid = fabs(checksum - reference) / reference <= 1.0e-8;
  if (!valid)
    fprintf(stderr, "sparse: checksum %.17g, expected %.17g\n", checksum, reference);

  char params_text[96];
  snprintf(params_text, sizeof params_text, "lsize=%d radius=%d rows=%d nonzeros=%lld", lsize,
           SPARSE_RADIUS, rows, (long long)nent);
  double avg = seconds / args.iters;
  prkReport(&args, "sparse", params_text, seconds, 1.0e-6 * 2.0 * (double)nent / avg, "MFlop/s",
            checksum, valid);
  free(matrix), free(columns), free(x), free(y);
  return !valid;
}

// PRK transpose driver (see ../common/prk.h for the variants and the output). SIZE: matrix order.
#include "transpose.h"
#include "../common/prk.h"
#ifdef PRK_WP
#include "prk_transpose_kernel.h"
#endif

#include <math.h>

static const PrkPreset presets[3] = {
    {"small", 1024, 10}, {"medium", 2048, 10}, {"large", 4096, 10}};

int main(int argc, char **argv) {
  PrkArgs args = prkParseArgs(argc, argv, "transpose", "matrix order", presets, 16);
  int32_t order = prkCheckedSize(args.size, 16384, "the matrix order");
  size_t bytes = (size_t)order * (size_t)order * sizeof(double);
  double *a = prkAlloc(bytes), *b = prkAlloc(bytes);
  int32_t tiles = transposeTilesPerSide(order) * transposeTilesPerSide(order);

  PRK_PARALLEL_FOR
  for (int32_t i = 0; i < order; i++)
    for (int32_t j = 0; j < order; j++) {
      a[i * order + j] = (double)(i * order + j);
      b[i * order + j] = 0.0;
    }
#ifdef PRK_WP
  wp_device_t device = prkDevice(&args);
  int32_t params[] = {order};
  wp_buffer_t in[] = {wp_buffer_in(device, params, sizeof params)};
  wp_buffer_t out[] = {wp_buffer_inout(device, a, bytes), wp_buffer_inout(device, b, bytes)};
#endif

  double start = 0.0;
  for (int iter = 0; iter <= args.iters; iter++) {
    if (iter == 1)
      start = prkWtime();
#ifdef PRK_WP
    wp_exec(device, prk_transpose_kernel, (uint32_t)tiles, args.block, in, 1, out, 2);
#else
    PRK_PARALLEL_FOR
    for (int32_t t = 0; t < tiles; t++)
      transposeTile(t, order, a, b);
#endif
  }
  double seconds = prkWtime() - start;
#ifdef PRK_WP
  wp_read(out[1], b, bytes);
#endif

  // B[i][j] = sum over iterations t of (A[j][i] + t).
  double addit = (args.iters + 1.0) * (args.iters / 2.0), abserr = 0.0, checksum = 0.0;
  for (int32_t i = 0; i < order; i++)
    for (int32_t j = 0; j < order; j++) {
      double expect = (double)(j * order + i) * (args.iters + 1.0) + addit;
      abserr += fabs(b[i * order + j] - expect);
      checksum += b[i * order + j];
    }
  int valid = abserr < 1.0e-8;
  if (!valid)
    fprintf(stderr, "transpose: aggregate error %.17g exceeds 1e-8\n", abserr);

  char params_text[64];
  snprintf(params_text, sizeof params_text, "order=%d", order);
  double avg = seconds / args.iters;
  prkReport(&args, "transpose", params_text, seconds, 1.0e-6 * 2.0 * (double)bytes / avg, "MB/s",
            checksum, valid);
  free(a), free(b);
  return !valid;
}

// PRK dgemm driver (see ../common/prk.h for the variants and the output). SIZE: matrix order.
#include "dgemm.h"
#include "../common/prk.h"
#ifdef PRK_WP
#include "prk_dgemm_kernel.h"
#endif

#include <math.h>

static const PrkPreset presets[3] = {{"small", 256, 10}, {"medium", 512, 10}, {"large", 1024, 5}};

int main(int argc, char **argv) {
  PrkArgs args = prkParseArgs(argc, argv, "dgemm", "matrix order", presets, 1);
  int32_t order = prkCheckedSize(args.size, 16384, "the matrix order");
  size_t bytes = (size_t)order * (size_t)order * sizeof(double);
  double *a = prkAlloc(bytes), *b = prkAlloc(bytes), *c = prkAlloc(bytes);

  PRK_PARALLEL_FOR
  for (int32_t i = 0; i < order; i++)
    for (int32_t j = 0; j < order; j++) {
      a[i * order + j] = b[i * order + j] = (double)j;
      c[i * order + j] = 0.0;
    }
#ifdef PRK_WP
  wp_device_t device = prkDevice(&args);
  int32_t params[] = {order};
  wp_buffer_t in[] = {wp_buffer_in(device, params, sizeof params), wp_buffer_in(device, a, bytes),
                      wp_buffer_in(device, b, bytes)};
  wp_buffer_t out[] = {wp_buffer_inout(device, c, bytes)};
#endif

  double start = 0.0;
  for (int iter = 0; iter <= args.iters; iter++) {
    if (iter == 1)
      start = prkWtime();
#ifdef PRK_WP
    wp_exec(device, prk_dgemm_kernel, (uint32_t)order, args.block, in, 3, out, 1);
#else
    PRK_PARALLEL_FOR
    for (int32_t i = 0; i < order; i++)
      dgemmRow(i, order, a, b, c);
#endif
  }
  double seconds = prkWtime() - start;
#ifdef PRK_WP
  wp_read(out[0], c, bytes);
#endif

  // (A B)[i][j] = j * order (order - 1) / 2, so the sum is order^3 (order - 1)^2 / 4 per run.
  double forder = (double)order, checksum = 0.0;
  double reference =
      0.25 * forder * forder * forder * (forder - 1.0) * (forder - 1.0) * (args.iters + 1.0);
  for (int32_t i = 0; i < order; i++)
    for (int32_t j = 0; j < order; j++)
      checksum += c[i * order + j];
  int valid = fabs(checksum - reference) / reference <= 1.0e-8;
  if (!valid)
    fprintf(stderr, "dgemm: checksum %.17g, expected %.17g\n", checksum, reference);

  char params_text[64];
  snprintf(params_text, sizeof params_text, "order=%d", order);
  double avg = seconds / args.iters;
  prkReport(&args, "dgemm", params_text, seconds, 1.0e-6 * 2.0 * forder * forder * forder / avg,
            "MFlop/s", checksum, valid);
  free(a), free(b), free(c);
  return !valid;
}

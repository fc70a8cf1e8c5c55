// PRK stencil driver (see ../common/prk.h for the variants and the output). SIZE: grid side n.
#include "stencil.h"
#include "../common/prk.h"
#ifdef PRK_WP
#include "prk_stencil_kernel.h"
#include "prk_stencil_shift_kernel.h"
#endif

#include <math.h>

static const PrkPreset presets[3] = {
    {"small", 1000, 10}, {"medium", 2000, 10}, {"large", 4000, 10}};

int main(int argc, char **argv) {
  PrkArgs args = prkParseArgs(argc, argv, "stencil", "grid side", presets, 4);
  int32_t n = prkCheckedSize(args.size, 16384, "the grid side");
  if (n <= 2 * STENCIL_RADIUS) {
    fprintf(stderr, "stencil: the grid side must exceed %d\n", 2 * STENCIL_RADIUS);
    return 2;
  }
  size_t bytes = (size_t)n * (size_t)n * sizeof(double);
  double *in = prkAlloc(bytes), *out = prkAlloc(bytes);
  int32_t interior = n - 2 * STENCIL_RADIUS;

  PRK_PARALLEL_FOR
  for (int32_t i = 0; i < n; i++)
    for (int32_t j = 0; j < n; j++) {
      in[i * n + j] = (double)(i + j);
      out[i * n + j] = 0.0;
    }
#ifdef PRK_WP
  wp_device_t device = prkDevice(&args);
  int32_t params[] = {n};
  wp_buffer_t params_buffer = wp_buffer_in(device, params, sizeof params);
  wp_buffer_t in_buffer = wp_buffer_inout(device, in, bytes);
  wp_buffer_t out_buffer = wp_buffer_inout(device, out, bytes);
  wp_buffer_t apply_in[] = {params_buffer, in_buffer}, apply_out[] = {out_buffer};
  wp_buffer_t shift_in[] = {params_buffer}, shift_out[] = {in_buffer};
#endif

  double start = 0.0;
  for (int iter = 0; iter <= args.iters; iter++) {
    if (iter == 1)
      start = prkWtime();
#ifdef PRK_WP
    wp_exec(device, prk_stencil_kernel, (uint32_t)interior, args.block, apply_in, 2, apply_out, 1);
    wp_exec(device, prk_stencil_shift_kernel, (uint32_t)n, args.block, shift_in, 1, shift_out, 1);
#else
    PRK_PARALLEL_FOR
    for (int32_t i = STENCIL_RADIUS; i < n - STENCIL_RADIUS; i++)
      stencilRow(i, n, in, out);
    PRK_PARALLEL_FOR
    for (int32_t i = 0; i < n; i++)
      stencilShiftRow(i, n, in);
#endif
  }
  double seconds = prkWtime() - start;
#ifdef PRK_WP
  wp_read(out_buffer, out, bytes);
#endif

  double active = (double)interior * (double)interior, norm = 0.0;
  for (int32_t i = STENCIL_RADIUS; i < n - STENCIL_RADIUS; i++)
    for (int32_t j = STENCIL_RADIUS; j < n - STENCIL_RADIUS; j++)
      norm += fabs(out[i * n + j]);
  norm /= active;
  double reference = (args.iters + 1.0) * 2.0; // (iterations + 1) * (COEFX + COEFY)
  int valid = fabs(norm - reference) <= 1.0e-8;
  if (!valid)
    fprintf(stderr, "stencil: L1 norm %.17g, expected %.17g\n", norm, reference);

  char params_text[64];
  snprintf(params_text, sizeof params_text, "n=%d radius=%d", n, STENCIL_RADIUS);
  double flops = (2.0 * (4 * STENCIL_RADIUS + 1) + 1.0) * active, avg = seconds / args.iters;
  prkReport(&args, "stencil", params_text, seconds, 1.0e-6 * flops / avg, "MFlop/s", norm, valid);
  free(in), free(out);
  return !valid;
}

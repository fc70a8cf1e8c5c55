// PRK nstream driver (see ../common/prk.h for the variants and the output). SIZE: vector length.
#include "nstream.h"
#include "../common/prk.h"
#ifdef PRK_WP
#include "prk_nstream_kernel.h"
#endif

#include <math.h>

static const PrkPreset presets[3] = {
    {"small", 1 << 20, 20}, {"medium", 1 << 23, 20}, {"large", 1 << 25, 20}};

int main(int argc, char **argv) {
  PrkArgs args = prkParseArgs(argc, argv, "nstream", "vector length", presets, 1024);
  int32_t length = prkCheckedSize(args.size, 1 << 27, "the vector length");
  size_t bytes = (size_t)length * sizeof(double);
  double *a = prkAlloc(bytes), *b = prkAlloc(bytes), *c = prkAlloc(bytes);

  PRK_PARALLEL_FOR
  for (int32_t j = 0; j < length; j++) {
    a[j] = 0.0;
    b[j] = 2.0;
    c[j] = 2.0;
  }
#ifdef PRK_WP
  wp_device_t device = prkDevice(&args);
  wp_buffer_t in[] = {wp_buffer_in(device, b, bytes), wp_buffer_in(device, c, bytes)};
  wp_buffer_t out[] = {wp_buffer_inout(device, a, bytes)};
#endif

  double start = 0.0;
  for (int iter = 0; iter <= args.iters; iter++) {
    if (iter == 1)
      start = prkWtime();
#ifdef PRK_WP
    wp_exec(device, prk_nstream_kernel, (uint32_t)length, args.block, in, 2, out, 1);
#else
    PRK_PARALLEL_FOR
    for (int32_t j = 0; j < length; j++)
      nstreamElement(j, a, b, c);
#endif
  }
  double seconds = prkWtime() - start;
#ifdef PRK_WP
  wp_read(out[0], a, bytes);
#endif

  double ar = 0.0, br = 2.0, cr = 2.0, asum = 0.0;
  for (int iter = 0; iter <= args.iters; iter++)
    ar += br + NSTREAM_SCALAR * cr;
  ar *= (double)length;
  for (int32_t j = 0; j < length; j++)
    asum += fabs(a[j]);
  int valid = fabs(ar - asum) / asum <= 1.0e-8;
  if (!valid)
    fprintf(stderr, "nstream: checksum %.17g, expected %.17g\n", asum, ar);

  char params[64];
  snprintf(params, sizeof params, "length=%d", length);
  double avg = seconds / args.iters;
  prkReport(&args, "nstream", params, seconds, 1.0e-6 * 4.0 * (double)bytes / avg, "MB/s", asum,
            valid);
  free(a), free(b), free(c);
  return !valid;
}

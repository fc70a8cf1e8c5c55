// PRK reduce driver (see ../common/prk.h for the variants and the output). SIZE: vector length.
#include "reduce.h"
#include "../common/prk.h"
#ifdef PRK_WP
#include "prk_reduce_kernel.h"
#endif

#include <math.h>

static const PrkPreset presets[3] = {
    {"small", 1 << 18, 10}, {"medium", 1 << 20, 10}, {"large", 1 << 22, 10}};

int main(int argc, char **argv) {
  PrkArgs args = prkParseArgs(argc, argv, "reduce", "vector length", presets, 1024);
  int32_t length = prkCheckedSize(args.size, (1 << 27) / REDUCE_VECTORS, "the vector length");
  size_t vbytes = (size_t)length * REDUCE_VECTORS * sizeof(double);
  size_t rbytes = (size_t)length * sizeof(double);
  double *v = prkAlloc(vbytes), *r = prkAlloc(rbytes);

  PRK_PARALLEL_FOR
  for (int32_t i = 0; i < length; i++) {
    for (int32_t p = 0; p < REDUCE_VECTORS; p++)
      v[p * length + i] = 1.0;
    r[i] = 0.0;
  }
#ifdef PRK_WP
  wp_device_t device = prkDevice(&args);
  int32_t params[] = {length};
  wp_buffer_t in[] = {wp_buffer_in(device, params, sizeof params)};
  wp_buffer_t out[] = {wp_buffer_inout(device, v, vbytes), wp_buffer_inout(device, r, rbytes)};
#endif

  double start = 0.0;
  for (int iter = 0; iter <= args.iters; iter++) {
    if (iter == 1)
      start = prkWtime();
#ifdef PRK_WP
    wp_exec(device, prk_reduce_kernel, (uint32_t)length, args.block, in, 1, out, 2);
#else
    PRK_PARALLEL_FOR
    for (int32_t i = 0; i < length; i++)
      reduceElement(i, length, v, r);
#endif
  }
  double seconds = prkWtime() - start;
#ifdef PRK_WP
  wp_read(out[1], r, rbytes);
#endif

  // After run t (1-based) every private element is 1 + t, so r = P * sum_{t=1..T} (1 + t).
  double runs = args.iters + 1.0, checksum = 0.0, maxerr = 0.0;
  double expect = REDUCE_VECTORS * (runs + runs * (runs + 1.0) / 2.0);
  for (int32_t i = 0; i < length; i++) {
    double err = fabs(r[i] - expect);
    maxerr = err > maxerr ? err : maxerr;
    checksum += r[i];
  }
  int valid = maxerr / expect <= 1.0e-8;
  if (!valid)
    fprintf(stderr, "reduce: largest error %.17g against %.17g\n", maxerr, expect);

  char params_text[64];
  snprintf(params_text, sizeof params_text, "length=%d vectors=%d", length, REDUCE_VECTORS);
  double avg = seconds / args.iters;
  // Each run reads and writes every private and result element once.
  double bytes = 2.0 * (double)(vbytes + rbytes);
  prkReport(&args, "reduce", params_text, seconds, 1.0e-6 * bytes / avg, "MB/s", checksum, valid);
  free(v), free(r);
  return !valid;
}

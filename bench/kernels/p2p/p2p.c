// PRK synch_p2p driver (see ../common/prk.h for the variants and the output). SIZE: grid side
// (m = n). Each sweep is m + n - 3 parallel loops, one per anti-diagonal.
#include "p2p.h"
#include "../common/prk.h"
#ifdef PRK_WP
#include "prk_p2p_kernel.h"
#endif

#include <math.h>

static const PrkPreset presets[3] = {
    {"small", 1000, 10}, {"medium", 2000, 10}, {"large", 4000, 10}};

int main(int argc, char **argv) {
  PrkArgs args = prkParseArgs(argc, argv, "p2p", "grid side", presets, 64);
  int32_t m = prkCheckedSize(args.size, 32768, "the grid side"), n = m;
  if (m < 2) {
    fprintf(stderr, "p2p: the grid side must be at least 2\n");
    return 2;
  }
  size_t bytes = (size_t)m * (size_t)n * sizeof(double);
  double *a = prkAlloc(bytes);
  for (int32_t i = 0; i < m; i++)
    for (int32_t j = 0; j < n; j++)
      a[i * n + j] = i == 0 ? (double)j : j == 0 ? (double)i : 0.0;
#ifdef PRK_WP
  wp_device_t device = prkDevice(&args);
  int32_t params[] = {m, n, 0};
  wp_buffer_t in[] = {wp_buffer_in(device, params, sizeof params)};
  wp_buffer_t out[] = {wp_buffer_inout(device, a, bytes)};
#endif

  double start = 0.0;
  for (int iter = 0; iter <= args.iters; iter++) {
    if (iter == 1)
      start = prkWtime();
    for (int32_t d = 2; d <= m + n - 2; d++) {
      int32_t length = p2pDiagonalLength(d, m, n);
#ifdef PRK_WP
      params[2] = d;
      wp_update(in[0], params, sizeof params);
      wp_exec(device, prk_p2p_kernel, (uint32_t)length, args.block, in, 1, out, 1);
#else
      PRK_PARALLEL_FOR
      for (int32_t k = 0; k < length; k++)
        p2pPoint(k, d, m, n, a);
#endif
    }
  }
  double seconds = prkWtime() - start;
#ifdef PRK_WP
  wp_read(out[0], a, bytes);
#endif

  double corner = a[(m - 1) * n + (n - 1)], reference = (args.iters + 1.0) * (m + n - 2.0);
  int valid = fabs(corner - reference) / reference <= 1.0e-8;
  if (!valid)
    fprintf(stderr, "p2p: corner value %.17g, expected %.17g\n", corner, reference);

  char params_text[64];
  snprintf(params_text, sizeof params_text, "m=%d n=%d", m, n);
  double avg = seconds / args.iters;
  prkReport(&args, "p2p", params_text, seconds, 1.0e-6 * 2.0 * (m - 1.0) * (n - 1.0) / avg,
            "MFlop/s", corner, valid);
  free(a);
  return !valid;
}

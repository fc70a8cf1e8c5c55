// The STREAM triad a = b + scalar * c, repeated a few times on a wasi-parallel device.
//   nstream [DEVICE_HINT]
// Prints "nstream: n=1048576 reps=4 checksum=... errors=0"; the checksum is exact.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <wasi_parallel.h>

#include "ex_nstream_kernel.h"

enum { N = 1 << 20, REPS = 4 };

int main(int argc, char **argv) {
  wp_device_t device = wp_device(wp_hint_from_args(argc, argv, 1, WP_DEVICE_CPU));
  double *a = malloc(N * sizeof(double)), *b = malloc(N * sizeof(double));
  double *c = malloc(N * sizeof(double));
  double scalar = 3.0;
  if (!a || !b || !c) {
    fprintf(stderr, "nstream: out of memory\n");
    return 1;
  }
  for (int i = 0; i < N; i++) {
    a[i] = 0.0;
    b[i] = (double)(i % 1000);
    c[i] = (double)(i % 7);
  }
  wp_buffer_t in[] = {wp_buffer_in(device, b, N * sizeof(double)),
                      wp_buffer_in(device, c, N * sizeof(double)),
                      wp_buffer_in(device, &scalar, sizeof scalar)};
  wp_buffer_t out[] = {wp_buffer_out(device, a, N * sizeof(double))};
  for (int rep = 0; rep < REPS; rep++) {
    // b changes between runs, so hand it to the device again each time.
    for (int i = 0; i < N; i++)
      b[i] += 1.0;
    wp_update(in[0], b, N * sizeof(double));
    wp_exec(device, ex_nstream_kernel, N, 1024, in, WP_COUNT(in), out, WP_COUNT(out));
  }
  wp_read(out[0], a, N * sizeof(double));

  // All values are small integers, so the sum is exact and the same on every device.
  double checksum = 0.0;
  int errors = 0;
  for (int i = 0; i < N; i++) {
    double expect = (double)(i % 1000 + REPS) + scalar * (double)(i % 7);
    errors += a[i] != expect;
    checksum += a[i];
  }
  printf("nstream: n=%d reps=%d checksum=%.1f errors=%d\n", N, REPS, checksum, errors);
  free(a), free(b), free(c);
  return errors != 0;
}

// A histogram with atomics in the kernel: prints "histogram: exact" when every bin holds its
// count, else the bins that lost updates.   histogram [DEVICE_HINT]
#include <stdio.h>
#include <wasi_parallel.h>

#include "pt_histogram_kernel.h"

enum { N = 1 << 18, BINS = 4 };
static uint32_t values[N], hist[BINS];

int main(int argc, char **argv) {
  wp_device_t dev = wp_device(wp_hint_from_args(argc, argv, 1, WP_DEVICE_CPU));
  for (uint32_t i = 0; i < N; i++)
    values[i] = i * 2654435761u >> 7;
  uint32_t expected[BINS] = {0};
  for (uint32_t i = 0; i < N; i++)
    expected[values[i] % BINS]++;
  wp_buffer_t in[] = {wp_buffer_in(dev, values, sizeof values)};
  wp_buffer_t out[] = {wp_buffer_inout(dev, hist, sizeof hist)};
  wp_exec(dev, pt_histogram_kernel, N, 64, in, 1, out, 1);
  wp_read(out[0], hist, sizeof hist);
  int wrong = 0;
  for (int b = 0; b < BINS; b++)
    if (hist[b] != expected[b]) {
      printf("bin %d: %u, expected %u\n", b, hist[b], expected[b]);
      wrong = 1;
    }
  printf("histogram: %s\n", wrong ? "LOST UPDATES" : "exact");
  return wrong;
}

// Every iteration id runs exactly once, for many shapes of (num_iterations, block_size), and the
// kernel receives both unchanged.   iterations [DEVICE_HINT]
#include <stdio.h>
#include <string.h>
#include <wasi_parallel.h>

#include "pt_count_kernel.h"

enum { MAX_N = 5000 };
static int32_t counts[MAX_N];
static int32_t meta[2];
static uint32_t work[MAX_N];

int main(int argc, char **argv) {
  wp_device_t dev = wp_device(wp_hint_from_args(argc, argv, 1, WP_DEVICE_CPU));
  static const struct {
    uint32_t n, block;
  } shapes[] = {{1, 1},     {2, 1},       {100, 1}, {1000, 7},    {1000, 0},
                {4999, 64}, {1000, 5000}, {3, 2},   {5000, 1000}, {777, 13}};
  int failures = 0;
  for (size_t s = 0; s < WP_COUNT(shapes); s++) {
    uint32_t n = shapes[s].n, block = shapes[s].block;
    memset(counts, 0, sizeof counts);
    meta[0] = meta[1] = -1;
    wp_buffer_t out[] = {wp_buffer_inout(dev, counts, n * 4), wp_buffer_out(dev, meta, sizeof meta),
                         wp_buffer_out(dev, work, n * 4)};
    for (int round = 1; round <= 2; round++) {
      wp_exec(dev, pt_count_kernel, n, block, NULL, 0, out, WP_COUNT(out));
      wp_read(out[0], counts, n * 4);
      wp_read(out[1], meta, sizeof meta);
      uint32_t wrong = 0;
      for (uint32_t i = 0; i < n; i++)
        wrong += counts[i] != round;
      failures += wrong != 0;
      printf("n=%u block=%u round %d: %u ids not run exactly once; kernel saw n=%d block=%d\n", n,
             block, round, wrong, meta[0], meta[1]);
    }
  }
  printf("iterations: %s\n", failures ? "FAILED" : "ok");
  return failures != 0;
}

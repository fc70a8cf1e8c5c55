// 10,000 small parallel_exec calls in a row on one kernel and one buffer.   many_execs
// [DEVICE_HINT]
#include <stdio.h>
#include <wasi_parallel.h>

#include "pt_add_one_kernel.h"

enum { N = 32, EXECS = 10000 };
static int32_t data[N];

int main(int argc, char **argv) {
  wp_device_t dev = wp_device(wp_hint_from_args(argc, argv, 1, WP_DEVICE_CPU));
  wp_buffer_t out[] = {wp_buffer_inout(dev, data, sizeof data)};
  for (int i = 0; i < EXECS; i++)
    wp_exec(dev, pt_add_one_kernel, N, 1 + i % 8, NULL, 0, out, 1);
  wp_read(out[0], data, sizeof data);
  int wrong = 0;
  for (int i = 0; i < N; i++)
    wrong += data[i] != EXECS;
  printf("many_execs: %d execs of %d iterations, %d elements wrong\n", EXECS, N, wrong);
  return wrong != 0;
}

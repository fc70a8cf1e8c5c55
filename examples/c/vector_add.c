// Adds two float vectors on a wasi-parallel device.
//   vector_add [DEVICE_HINT]     hint: 0-3 or sequential|cpu|gpu|igpu (default cpu)
// Prints "vector_add: n=65536 sum=6442352640 errors=0".
#include <stdint.h>
#include <stdio.h>
#include <wasi_parallel.h>

#include "ex_vector_add_kernel.h"

enum { N = 65536 };
static float a[N], b[N], c[N];

int main(int argc, char **argv) {
  wp_device_t device = wp_device(wp_hint_from_args(argc, argv, 1, WP_DEVICE_CPU));
  for (int i = 0; i < N; i++) {
    a[i] = (float)i;
    b[i] = (float)(2 * i); // every value and sum stays exact in float (< 2^24)
  }
  wp_buffer_t in[] = {wp_buffer_in(device, a, sizeof a), wp_buffer_in(device, b, sizeof b)};
  wp_buffer_t out[] = {wp_buffer_out(device, c, sizeof c)};
  wp_exec(device, ex_vector_add_kernel, N, 256, in, WP_COUNT(in), out, WP_COUNT(out));
  wp_read(out[0], c, sizeof c);

  int64_t sum = 0;
  int errors = 0;
  for (int i = 0; i < N; i++) {
    sum += (int64_t)c[i];
    errors += c[i] != (float)(3 * i);
  }
  printf("vector_add: n=%d sum=%lld errors=%d\n", N, (long long)sum, errors);
  return errors != 0;
}

// Sums 1 Mi pseudo-random integers as per-iteration partial sums on a wasi-parallel device; the
// guest adds the partial sums up and compares with a sequential sum.
//   reduction [DEVICE_HINT]
// Prints "reduction: n=1048576 parts=... sum=... errors=0".
#include <stdint.h>
#include <stdio.h>
#include <wasi_parallel.h>

#include "ex_reduction_kernel.h"

enum { N = 1 << 20, CHUNK = 4000, PARTS = (N + CHUNK - 1) / CHUNK };
static uint32_t data[N];
static int64_t partial[PARTS];

int main(int argc, char **argv) {
  wp_device_t device = wp_device(wp_hint_from_args(argc, argv, 1, WP_DEVICE_CPU));
  uint32_t x = 12345;
  int64_t expect = 0;
  for (int i = 0; i < N; i++) {
    x = x * 1664525u + 1013904223u; // numerical recipes LCG
    data[i] = x >> 12;
    expect += data[i];
  }
  wp_buffer_t in[] = {wp_buffer_in(device, data, sizeof data)};
  wp_buffer_t out[] = {wp_buffer_out(device, partial, sizeof partial)};
  // The last part is shorter than CHUNK: the kernel clips it to the data's length.
  wp_exec(device, ex_reduction_kernel, PARTS, CHUNK, in, WP_COUNT(in), out, WP_COUNT(out));
  wp_read(out[0], partial, sizeof partial);

  int64_t sum = 0;
  for (int p = 0; p < PARTS; p++)
    sum += partial[p];
  printf("reduction: n=%d parts=%d sum=%lld errors=%d\n", N, PARTS, (long long)sum, sum != expect);
  return sum != expect;
}

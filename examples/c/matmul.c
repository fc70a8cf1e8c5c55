// Multiplies two 192 x 192 double matrices on a wasi-parallel device and checks every element
// against a sequential product.
//   matmul [DEVICE_HINT]
// Prints "matmul: n=192 checksum=... weighted=... errors=0"; all values are exact integers.
#include <stdint.h>
#include <stdio.h>
#include <wasi_parallel.h>

#include "ex_matmul_kernel.h"

enum { N = 192 };
static double a[N * N], b[N * N], c[N * N];

int main(int argc, char **argv) {
  wp_device_t device = wp_device(wp_hint_from_args(argc, argv, 1, WP_DEVICE_CPU));
  int32_t params[] = {N};
  for (int i = 0; i < N; i++)
    for (int k = 0; k < N; k++) {
      a[i * N + k] = (double)((i + 2 * k) % 7);
      b[i * N + k] = (double)((3 * i + k) % 5);
    }
  wp_buffer_t in[] = {wp_buffer_in(device, params, sizeof params),
                      wp_buffer_in(device, a, sizeof a), wp_buffer_in(device, b, sizeof b)};
  wp_buffer_t out[] = {wp_buffer_out(device, c, sizeof c)};
  wp_exec(device, ex_matmul_kernel, N * N, 64, in, WP_COUNT(in), out, WP_COUNT(out));
  wp_read(out[0], c, sizeof c);

  int errors = 0;
  double checksum = 0.0, weighted = 0.0;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      double expect = 0.0;
      for (int k = 0; k < N; k++)
        expect += a[i * N + k] * b[k * N + j];
      errors += c[i * N + j] != expect;
      checksum += c[i * N + j];
      weighted += c[i * N + j] * (double)((i * N + j) % 13);
    }
  printf("matmul: n=%d checksum=%.0f weighted=%.0f errors=%d\n", N, checksum, weighted, errors);
  return errors != 0;
}

// Results do not depend on the device: floating-point outputs are identical to the last bit, and
// block_size reaches the kernel unchanged for its own indexing.   results [DEVICE_HINT]
#include <stdio.h>
#include <string.h>
#include <wasi_parallel.h>

#include "pt_poly_kernel.h"
#include "pt_slice_kernel.h"

enum { N = 20000 };
static double in[N], out[N];
static uint32_t values[N];
static uint64_t sums[N];

static uint32_t fnv1a(const void *data, size_t size) {
  const unsigned char *p = data;
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < size; i++)
    h = (h ^ p[i]) * 16777619u;
  return h;
}

// The hash of doubles with every NaN as one pattern: Wasm leaves a NaN's sign and payload open
// (x86 makes inf - inf negative, a GPU positive), and only they may differ between devices.
static uint32_t fnv1aUpToNans(const double *data, size_t count) {
  static double copy[N];
  static const uint64_t canonical = 0x7ff8000000000000ull;
  for (size_t i = 0; i < count; i++) {
    copy[i] = data[i];
    if (data[i] != data[i])
      memcpy(&copy[i], &canonical, sizeof canonical);
  }
  return fnv1a(copy, count * sizeof *copy);
}

int main(int argc, char **argv) {
  wp_device_t dev = wp_device(wp_hint_from_args(argc, argv, 1, WP_DEVICE_CPU));
  for (int i = 0; i < N; i++)
    in[i] = (i - N / 2) * 0.001;
  wp_buffer_t pin[] = {wp_buffer_in(dev, in, sizeof in)};
  wp_buffer_t pout[] = {wp_buffer_out(dev, out, sizeof out)};
  static const uint32_t blocks[] = {1, 17, 256, 0};
  for (size_t b = 0; b < WP_COUNT(blocks); b++) {
    memset(out, 0, sizeof out);
    wp_update(pout[0], out, sizeof out);
    wp_exec(dev, pt_poly_kernel, N, blocks[b], pin, 1, pout, 1);
    wp_read(pout[0], out, sizeof out);
    printf("poly block=%u: fnv1a=%08x out[0]=%.17g out[%d]=%.17g\n", blocks[b],
           fnv1aUpToNans(out, N), out[0], N - 1, out[N - 1]);
  }

  for (int i = 0; i < N; i++)
    values[i] = (uint32_t)i * 2654435761u;
  wp_buffer_t sin[] = {wp_buffer_in(dev, values, sizeof values)};
  wp_buffer_t sout[] = {wp_buffer_out(dev, sums, sizeof sums)};
  static const uint32_t slices[] = {1, 64, 1000, 19999, 20000, 30000};
  for (size_t s = 0; s < WP_COUNT(slices); s++) {
    uint32_t block = slices[s], parts = (N + block - 1) / block;
    wp_exec(dev, pt_slice_kernel, parts, block, sin, 1, sout, 1);
    wp_read(sout[0], sums, sizeof sums);
    uint64_t total = 0;
    for (uint32_t p = 0; p < parts; p++)
      total += sums[p];
    printf("slices block=%u parts=%u: total=%llu first=%llu last=%llu\n", block, parts,
           (unsigned long long)total, (unsigned long long)sums[0],
           (unsigned long long)sums[parts - 1]);
  }
  return 0;
}

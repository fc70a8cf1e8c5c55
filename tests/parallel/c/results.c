// Results do not depend on the device: floating-point outputs are identical to the last bit,
// block_size reaches the kernel unchanged for its own indexing, and a kernel's memory.copy and
// memory.fill write what the guest's own loops do.   results [DEVICE_HINT]
#include <stdio.h>
#include <string.h>
#include <wasi_parallel.h>

#include "pt_poly_kernel.h"
#include "pt_rows_kernel.h"
#include "pt_slice_kernel.h"

enum { N = 20000, kRows = 500, kRowBytes = 200 };
static double in[N], out[N];
static uint32_t values[N];
static uint64_t sums[N];
static uint8_t rowsIn[kRows * kRowBytes], rowsOut[kRows * kRowBytes], rowsWant[kRows * kRowBytes];

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

  // rows_kernel.c, byte by byte here.
  for (uint32_t i = 0; i < sizeof rowsIn; i++)
    rowsIn[i] = (uint8_t)(i * 2654435761u >> 24);
  for (uint32_t r = 0; r < kRows; r++) {
    uint32_t shift = r % 61, clear = r % 23;
    for (uint32_t b = 0; b < kRowBytes; b++)
      rowsWant[r * kRowBytes + b] = rowsIn[r * kRowBytes + (b + shift) % kRowBytes];
    for (uint32_t b = 0; b < clear; b++)
      rowsWant[r * kRowBytes + r % 150 + b] = 0;
  }
  memset(rowsOut, 0xa5, sizeof rowsOut);
  wp_buffer_t rin[] = {wp_buffer_in(dev, rowsIn, sizeof rowsIn)};
  wp_buffer_t rout[] = {wp_buffer_out(dev, rowsOut, sizeof rowsOut)};
  wp_exec(dev, pt_rows_kernel, kRows, 0, rin, 1, rout, 1);
  wp_read(rout[0], rowsOut, sizeof rowsOut);
  uint32_t wrong = 0;
  for (uint32_t i = 0; i < sizeof rowsOut; i++)
    wrong += rowsOut[i] != rowsWant[i];
  printf("rows (memory.copy, memory.fill): %u rows, %u bytes wrong, fnv1a=%08x\n", kRows, wrong,
         fnv1a(rowsOut, sizeof rowsOut));
  return 0;
}

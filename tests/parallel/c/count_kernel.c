// counts[i] += 1, after (i % 13) * 100 steps of busy work (so iterations cost different amounts
// and a dynamic schedule has something to balance); iteration 0 also reports the n and
// block_size it was given.
#include <wasi_parallel_kernel.h>

WP_KERNEL_EXPORT void kernel(int32_t i, int32_t n, int32_t block, int32_t *counts,
                             uint32_t counts_len, int32_t *meta, uint32_t meta_len, uint32_t *work,
                             uint32_t work_len) {
  uint32_t x = (uint32_t)i;
  for (int32_t k = (i % 13) * 100; k > 0; k--)
    x = x * 1664525u + 1013904223u;
  work[i] = x;
  counts[i] += 1;
  if (i == 0) {
    meta[0] = n;
    meta[1] = block;
  }
}

// Iteration p sums the slice [p * block, (p + 1) * block) of `in` (clipped to its end): the kernel
// uses block_size for its own indexing, so the device must pass it through unchanged.
#include <wasi_parallel_kernel.h>

WP_KERNEL_EXPORT void kernel(int32_t p, int32_t n, int32_t block, const uint32_t *in,
                             uint32_t in_len, uint64_t *sums, uint32_t sums_len) {
  uint32_t count = in_len / 4;
  uint32_t begin = (uint32_t)p * (uint32_t)block;
  uint32_t end = begin + (uint32_t)block;
  if (end > count)
    end = count;
  uint64_t s = 0;
  for (uint32_t j = begin; j < end; j++)
    s += in[j];
  sums[p] = s;
}

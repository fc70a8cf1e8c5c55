// Partial sums: iteration p adds up its slice of `data` into partial[p]. The slices are
// block_size elements long, so num_iterations * block_size covers the data.
#include <wasi_parallel_kernel.h>

WP_KERNEL_EXPORT void kernel(int32_t p, int32_t num_iterations, int32_t block_size,
                             const uint32_t *data, uint32_t data_len, int64_t *partial,
                             uint32_t partial_len) {
  (void)num_iterations, (void)partial_len;
  uint32_t n = data_len / sizeof(uint32_t);
  uint32_t first = (uint32_t)p * (uint32_t)block_size;
  uint32_t last = first + (uint32_t)block_size < n ? first + (uint32_t)block_size : n;
  int64_t sum = 0;
  for (uint32_t i = first; i < last; i++)
    sum += data[i];
  partial[p] = sum;
}

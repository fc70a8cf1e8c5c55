// data[i] += 1.
#include <wasi_parallel_kernel.h>

WP_KERNEL_EXPORT void kernel(int32_t i, int32_t n, int32_t block, int32_t *data,
                             uint32_t data_len) {
  data[i] += 1;
}

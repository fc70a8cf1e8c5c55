// hist[values[i] % hist_len/4] += 1 with __atomic_fetch_add: exact only because the SDK builds
// kernels with -matomics (issue 16).
#include <wasi_parallel_kernel.h>

WP_KERNEL_EXPORT void kernel(int32_t i, int32_t n, int32_t block, const uint32_t *values,
                             uint32_t values_len, uint32_t *hist, uint32_t hist_len) {
  __atomic_fetch_add(&hist[values[i] % (hist_len / 4)], 1u, __ATOMIC_RELAXED);
}

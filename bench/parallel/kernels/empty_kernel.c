// Does nothing: one parallel_exec of it measures the host's launch overhead.
#include <wasi_parallel_kernel.h>

WP_KERNEL_EXPORT void kernel(int32_t i, int32_t n, int32_t block) {}

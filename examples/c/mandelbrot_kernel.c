// One pixel per iteration; params = {width, height, max_iter}; out = width * height bytes.
#include <wasi_parallel_kernel.h>

#include "mandelbrot.h"

WP_KERNEL_EXPORT void kernel(int32_t id, int32_t num_iterations, int32_t block_size,
                             const int32_t *params, uint32_t params_len, uint8_t *pixels,
                             uint32_t pixels_len) {
  (void)num_iterations, (void)block_size, (void)params_len, (void)pixels_len;
  int32_t width = params[0], height = params[1], max_iter = params[2];
  int32_t n = mandelbrotCount(id % width, id / width, width, height, max_iter);
  pixels[id] = (uint8_t)(n == max_iter ? 0 : 255 - n % 256);
}

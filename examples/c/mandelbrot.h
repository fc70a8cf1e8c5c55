// The escape-time count of one pixel, shared by the kernel and the guest's own check. Only
// +, * and compares on doubles: Wasm forbids fusing them, so every device gets the same counts.
#ifndef EXAMPLES_MANDELBROT_H
#define EXAMPLES_MANDELBROT_H
#include <stdint.h>

static inline int32_t mandelbrotCount(int32_t x, int32_t y, int32_t width, int32_t height,
                                      int32_t max_iter) {
  double cx = -2.25 + 3.0 * (double)x / (double)width;
  double cy = -1.25 + 2.5 * (double)y / (double)height;
  double zr = 0.0, zi = 0.0;
  int32_t n = 0;
  while (n < max_iter) {
    double zr2 = zr * zr, zi2 = zi * zi;
    if (zr2 + zi2 > 4.0)
      break;
    zi = 2.0 * zr * zi + cy;
    zr = zr2 - zi2 + cx;
    n++;
  }
  return n;
}
#endif

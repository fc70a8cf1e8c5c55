// Renders the Mandelbrot set on a wasi-parallel device and optionally writes it as a PGM image.
//   mandelbrot [DEVICE_HINT [OUTPUT.pgm]]
// Prints "mandelbrot: 640x480 max_iter=255 fnv1a=... inside=... errors=0"; the image goes to
// OUTPUT.pgm through WASI when given (the directory must be preopened, e.g. --dir .).
#include <stdint.h>
#include <stdio.h>
#include <wasi_parallel.h>

#include "ex_mandelbrot_kernel.h"
#include "mandelbrot.h"

enum { WIDTH = 640, HEIGHT = 480, MAX_ITER = 255 };
static uint8_t pixels[WIDTH * HEIGHT];

int main(int argc, char **argv) {
  wp_device_t device = wp_device(wp_hint_from_args(argc, argv, 1, WP_DEVICE_CPU));
  int32_t params[] = {WIDTH, HEIGHT, MAX_ITER};
  wp_buffer_t in[] = {wp_buffer_in(device, params, sizeof params)};
  wp_buffer_t out[] = {wp_buffer_out(device, pixels, sizeof pixels)};
  wp_exec(device, ex_mandelbrot_kernel, WIDTH * HEIGHT, 128, in, WP_COUNT(in), out, WP_COUNT(out));
  wp_read(out[0], pixels, sizeof pixels);

  uint32_t hash = 2166136261u; // FNV-1a over the image
  int inside = 0, errors = 0;
  for (int i = 0; i < WIDTH * HEIGHT; i++) {
    int32_t n = mandelbrotCount(i % WIDTH, i / WIDTH, WIDTH, HEIGHT, MAX_ITER);
    uint8_t expect = (uint8_t)(n == MAX_ITER ? 0 : 255 - n % 256);
    errors += pixels[i] != expect;
    inside += n == MAX_ITER;
    hash = (hash ^ pixels[i]) * 16777619u;
  }
  printf("mandelbrot: %dx%d max_iter=%d fnv1a=%08x inside=%d errors=%d\n", WIDTH, HEIGHT, MAX_ITER,
         (unsigned)hash, inside, errors);

  if (argc > 2) {
    FILE *f = fopen(argv[2], "wb");
    if (!f || fprintf(f, "P5\n%d %d\n255\n", WIDTH, HEIGHT) < 0 ||
        fwrite(pixels, 1, sizeof pixels, f) != sizeof pixels || fclose(f) != 0) {
      perror(argv[2]);
      return 1;
    }
  }
  return errors != 0;
}

// The wasi-parallel side of bench/parallel: run by parawasm on the sequential or cpu device.
//   bench_guest overhead DEVICE [ITERATIONS=1] [BATCHES=21] [BLOCK=1]
//   bench_guest nstream  DEVICE [LENGTH=16777216] [REPS=10] [BLOCK=8192]
//   bench_guest matmul   DEVICE [ORDER=512] [REPS=5] [BLOCK=1]
// Prints one RESULT line (bench_common.h); times are medians over the reps, after one untimed
// warm-up that also compiles the kernel.
#include <wasi_parallel.h>

#include "bench_common.h"
#include "bench_empty_kernel.h"
#include "bench_matmul_kernel.h"
#include "bench_nstream_kernel.h"

static long arg(int argc, char **argv, int i, long fallback) {
  return argc > i ? atol(argv[i]) : fallback;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: bench_guest overhead|nstream|matmul DEVICE [SIZE] [REPS] [BLOCK]\n");
    return 2;
  }
  const char *mode = argv[1];
  wp_device_kind_t hint = wp_hint_from_args(argc, argv, 2, WP_DEVICE_CPU);
  wp_device_t dev = wp_device(hint);
  const char *device = wp_device_kind_name(hint);

  if (!strcmp(mode, "overhead")) {
    long n = arg(argc, argv, 3, 1), batches = arg(argc, argv, 4, 21), block = arg(argc, argv, 5, 1);
    enum { PER_BATCH = 1000 };
    double *t = malloc(sizeof(double) * batches);
    wp_exec(dev, bench_empty_kernel, (uint32_t)n, (uint32_t)block, NULL, 0, NULL, 0);
    for (long r = 0; r < batches; r++) {
      double start = now_us();
      for (int k = 0; k < PER_BATCH; k++)
        wp_exec(dev, bench_empty_kernel, (uint32_t)n, (uint32_t)block, NULL, 0, NULL, 0);
      t[r] = (now_us() - start) / PER_BATCH;
    }
    report("overhead", "wasm", device, n, (int)batches, t, 0);
    return 0;
  }

  if (!strcmp(mode, "nstream")) {
    long n = arg(argc, argv, 3, 1L << 24), reps = arg(argc, argv, 4, 10),
         block = arg(argc, argv, 5, 8192);
    double *a = malloc(sizeof(double) * n), *b = malloc(sizeof(double) * n),
           *c = malloc(sizeof(double) * n), *t = malloc(sizeof(double) * reps);
    static double scalar[1] = {3.0};
    if (!a || !b || !c) {
      fprintf(stderr, "bench_guest: out of memory\n");
      return 1;
    }
    nstream_init(a, b, c, n);
    size_t bytes = sizeof(double) * (size_t)n;
    wp_buffer_t in[] = {wp_buffer_in(dev, scalar, sizeof scalar), wp_buffer_in(dev, b, bytes),
                        wp_buffer_in(dev, c, bytes)};
    wp_buffer_t out[] = {wp_buffer_inout(dev, a, bytes)};
    wp_exec(dev, bench_nstream_kernel, (uint32_t)n, (uint32_t)block, in, 3, out, 1);
    for (long r = 0; r < reps; r++) {
      double start = now_us();
      wp_exec(dev, bench_nstream_kernel, (uint32_t)n, (uint32_t)block, in, 3, out, 1);
      t[r] = now_us() - start;
    }
    wp_read(out[0], a, bytes);
    report("nstream", "wasm", device, n, (int)reps, t, sum(a, n));
    return 0;
  }

  if (!strcmp(mode, "matmul")) {
    long n = arg(argc, argv, 3, 512), reps = arg(argc, argv, 4, 5), block = arg(argc, argv, 5, 1);
    size_t bytes = sizeof(double) * (size_t)n * (size_t)n;
    double *a = malloc(bytes), *b = malloc(bytes), *c = malloc(bytes),
           *t = malloc(sizeof(double) * reps);
    static int32_t params[1];
    if (!a || !b || !c) {
      fprintf(stderr, "bench_guest: out of memory\n");
      return 1;
    }
    params[0] = (int32_t)n;
    matmul_init(a, b, n);
    wp_buffer_t in[] = {wp_buffer_in(dev, params, sizeof params), wp_buffer_in(dev, a, bytes),
                        wp_buffer_in(dev, b, bytes)};
    wp_buffer_t out[] = {wp_buffer_out(dev, c, bytes)};
    wp_exec(dev, bench_matmul_kernel, (uint32_t)n, (uint32_t)block, in, 3, out, 1);
    for (long r = 0; r < reps; r++) {
      double start = now_us();
      wp_exec(dev, bench_matmul_kernel, (uint32_t)n, (uint32_t)block, in, 3, out, 1);
      t[r] = now_us() - start;
    }
    wp_read(out[0], c, bytes);
    report("matmul", "wasm", device, n, (int)reps, t, sum(c, n * n));
    return 0;
  }
  fprintf(stderr, "bench_guest: unknown mode '%s'\n", mode);
  return 2;
}

// The wasi-parallel side of bench/gpu for what bench/parallel/bench_guest.c does not time: the
// exec with the host<->device copies around it, and matmul with one element of C per iteration.
//   gpu_guest nstream     DEVICE TIMING [LENGTH=16777216] [REPS=10] [BLOCK=8192]
//   gpu_guest matmul      DEVICE TIMING [ORDER=512] [REPS=5] [BLOCK=1]    (row per iteration)
//   gpu_guest matmul_elem DEVICE TIMING [ORDER=512] [REPS=5] [BLOCK=256]  (element per iteration)
// TIMING: exec  - parallel_exec alone (as bench_guest.c: launch, wait, trap check);
//         copy  - write_buffer of every data input (and of A, which nstream also reads),
//                 parallel_exec, read_buffer of the output: a whole offload, as the CUDA programs'
//                 "copy" timing does it with cudaMemcpy.
// Prints one RESULT line (gpu_common.h); one untimed warm-up first (it also compiles the kernel).
// Every timed rep runs the kernel once more, so checksums equal those of bench_guest.c and of the
// CUDA programs with the same REPS.
#include <wasi_parallel.h>

#include "gpu_common.h"
#include "gpu_matmul_elem_kernel.h"
#include "gpu_matmul_kernel.h"
#include "gpu_nstream_kernel.h"

static long arg(int argc, char **argv, int i, long fallback) {
  return argc > i ? atol(argv[i]) : fallback;
}

static void *alloc(size_t bytes) {
  void *p = malloc(bytes);
  if (!p) {
    fprintf(stderr, "gpu_guest: out of memory (%zu bytes)\n", bytes);
    exit(1);
  }
  return p;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: gpu_guest nstream|matmul|matmul_elem DEVICE exec|copy [SIZE] [REPS] "
                    "[BLOCK]\n");
    return 2;
  }
  const char *mode = argv[1], *timing = argv[3];
  wp_device_kind_t hint = wp_hint_from_args(argc, argv, 2, WP_DEVICE_DISCRETE_GPU);
  wp_device_t dev = wp_device(hint);
  const char *device = wp_device_kind_name(hint);
  int copy = !strcmp(timing, "copy");
  if (!copy && strcmp(timing, "exec")) {
    fprintf(stderr, "gpu_guest: unknown timing '%s' (exec or copy)\n", timing);
    return 2;
  }

  if (!strcmp(mode, "nstream")) {
    long n = arg(argc, argv, 4, 1L << 24), reps = arg(argc, argv, 5, 10),
         block = arg(argc, argv, 6, 8192);
    size_t bytes = sizeof(double) * (size_t)n;
    double *a = alloc(bytes), *b = alloc(bytes), *c = alloc(bytes),
           *t = alloc(sizeof(double) * reps);
    static double scalar[1] = {3.0};
    nstream_init(a, b, c, n);
    wp_buffer_t in[] = {wp_buffer_in(dev, scalar, sizeof scalar), wp_buffer_in(dev, b, bytes),
                        wp_buffer_in(dev, c, bytes)};
    wp_buffer_t out[] = {wp_buffer_inout(dev, a, bytes)};
    for (long r = -1; r < reps; r++) {
      double start = now_us();
      if (copy) {
        wp_update(in[1], b, bytes);
        wp_update(in[2], c, bytes);
        wp_update(out[0], a, bytes);
      }
      wp_exec(dev, gpu_nstream_kernel, (uint32_t)n, (uint32_t)block, in, 3, out, 1);
      if (copy)
        wp_read(out[0], a, bytes);
      if (r >= 0)
        t[r] = now_us() - start;
    }
    wp_read(out[0], a, bytes);
    report_gpu("nstream", "wasm", device, timing, n, (int)reps, block, 0, t, sum(a, n));
    return 0;
  }

  int elem = !strcmp(mode, "matmul_elem");
  if (elem || !strcmp(mode, "matmul")) {
    long n = arg(argc, argv, 4, 512), reps = arg(argc, argv, 5, 5),
         block = arg(argc, argv, 6, elem ? 256 : 1);
    size_t bytes = sizeof(double) * (size_t)n * (size_t)n;
    double *a = alloc(bytes), *b = alloc(bytes), *c = alloc(bytes),
           *t = alloc(sizeof(double) * reps);
    static int32_t params[1];
    params[0] = (int32_t)n;
    matmul_init(a, b, n);
    wp_buffer_t in[] = {wp_buffer_in(dev, params, sizeof params), wp_buffer_in(dev, a, bytes),
                        wp_buffer_in(dev, b, bytes)};
    wp_buffer_t out[] = {wp_buffer_out(dev, c, bytes)};
    wp_kernel_t kernel = elem ? gpu_matmul_elem_kernel : gpu_matmul_kernel;
    uint32_t iterations = (uint32_t)(elem ? n * n : n);
    for (long r = -1; r < reps; r++) {
      double start = now_us();
      if (copy) {
        wp_update(in[1], a, bytes);
        wp_update(in[2], b, bytes);
      }
      wp_exec(dev, kernel, iterations, (uint32_t)block, in, 3, out, 1);
      if (copy)
        wp_read(out[0], c, bytes);
      if (r >= 0)
        t[r] = now_us() - start;
    }
    wp_read(out[0], c, bytes);
    report_gpu(mode, "wasm", device, timing, n, (int)reps, block, 0, t, sum(c, n * n));
    return 0;
  }
  fprintf(stderr, "gpu_guest: unknown mode '%s'\n", mode);
  return 2;
}

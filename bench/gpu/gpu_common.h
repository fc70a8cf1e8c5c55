// Shared by the wasi-parallel guest (gpu_guest.c, wasm32-wasi) and the CUDA programs (host code
// compiled by nvcc as C++): the RESULT line of bench/gpu, so both sides print exactly the same
// fields. Data set-up, clock and median come from bench/parallel/bench_common.h.
#ifndef GPU_COMMON_H
#define GPU_COMMON_H

// Each program uses only part of bench_common.h's static functions.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "bench_common.h"
#pragma GCC diagnostic pop

// Bytes an nstream pass moves: A read and written, B and C read (PRK's count).
static double nstream_bytes(long n) { return 4.0 * sizeof(double) * (double)n; }

// Floating-point operations of one order-n matrix product.
static double matmul_flops(long n) { return 2.0 * (double)n * (double)n * (double)n; }

// One RESULT line. timing: "exec" (launch + wait, host clock: what parallel_exec costs),
// "kernel" (GPU events around the launch only) or "copy" (the inputs to the device, the launch,
// the output back). block: the wasi-parallel block_size asked for; threads: threads per block
// actually launched (0 when the program cannot know: the guest). Adds GBps for nstream and
// GFLOPs for the matmuls, from the median. The median sorts times_us in place.
static void report_gpu(const char *bench, const char *variant, const char *device,
                       const char *timing, long size, int reps, long block, int threads,
                       double *times_us, double checksum) {
  double lo = times_us[0];
  for (int r = 1; r < reps; r++)
    if (times_us[r] < lo)
      lo = times_us[r];
  double med = median(times_us, reps);
  char rate[64];
  if (!strcmp(bench, "nstream"))
    snprintf(rate, sizeof rate, "GBps=%.2f", nstream_bytes(size) / (med * 1e3));
  else
    snprintf(rate, sizeof rate, "GFLOPs=%.2f", matmul_flops(size) / (med * 1e3));
  char shape[32] = "";
  if (threads > 0)
    snprintf(shape, sizeof shape, " threads=%d", threads);
  printf("RESULT bench=%s variant=%s device=%s timing=%s size=%ld reps=%d block=%ld%s "
         "median_us=%.3f min_us=%.3f checksum=%.10g %s\n",
         bench, variant, device, timing, size, reps, block, shape, med, lo, checksum, rate);
  fflush(stdout);
}

#endif

// The native side of bench/parallel: the same loops as the kernels, with OpenMP
// (gcc -O2 -fopenmp; OMP_NUM_THREADS sets the thread count).
//   bench_native overhead|nstream|matmul [SIZE] [REPS]   (defaults as in bench_guest.c)
#include <omp.h>

#include "bench_common.h"

static long arg(int argc, char **argv, int i, long fallback) {
  return argc > i ? atol(argv[i]) : fallback;
}

static volatile int sink;

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: bench_native overhead|nstream|matmul [SIZE] [REPS]\n");
    return 2;
  }
  const char *mode = argv[1];
  char device[32];
  snprintf(device, sizeof device, "omp%d", omp_get_max_threads());

  if (!strcmp(mode, "overhead")) {
    long n = arg(argc, argv, 2, 1), batches = arg(argc, argv, 3, 21);
    enum { PER_BATCH = 1000 };
    double *t = malloc(sizeof(double) * batches);
    for (long r = -1; r < batches; r++) {
      double start = now_us();
      for (int k = 0; k < PER_BATCH; k++) {
#pragma omp parallel for schedule(static)
        for (long i = 0; i < n; i++)
          if (i < 0)
            sink = 1;
      }
      if (r >= 0)
        t[r] = (now_us() - start) / PER_BATCH;
    }
    report("overhead", "native", device, n, (int)batches, t, 0);
    return 0;
  }

  if (!strcmp(mode, "nstream")) {
    long n = arg(argc, argv, 2, 1L << 24), reps = arg(argc, argv, 3, 10);
    double *a = malloc(sizeof(double) * n), *b = malloc(sizeof(double) * n),
           *c = malloc(sizeof(double) * n), *t = malloc(sizeof(double) * reps);
    double scalar = 3.0;
    // First touch in parallel, as a tuned OpenMP program does.
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++) {
      a[i] = 0;
      b[i] = 2;
      c[i] = 2;
    }
    for (long r = -1; r < reps; r++) {
      double start = now_us();
#pragma omp parallel for schedule(static)
      for (long i = 0; i < n; i++)
        a[i] += b[i] + scalar * c[i];
      if (r >= 0)
        t[r] = now_us() - start;
    }
    report("nstream", "native", device, n, (int)reps, t, sum(a, n));
    return 0;
  }

  if (!strcmp(mode, "matmul")) {
    long n = arg(argc, argv, 2, 512), reps = arg(argc, argv, 3, 5);
    double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n),
           *c = malloc(sizeof(double) * n * n), *t = malloc(sizeof(double) * reps);
    matmul_init(a, b, n);
    for (long r = -1; r < reps; r++) {
      double start = now_us();
#pragma omp parallel for schedule(static)
      for (long i = 0; i < n; i++) {
        double *ci = c + i * n;
        for (long j = 0; j < n; j++)
          ci[j] = 0;
        for (long k = 0; k < n; k++) {
          double aik = a[i * n + k];
          const double *bk = b + k * n;
          for (long j = 0; j < n; j++)
            ci[j] += aik * bk[j];
        }
      }
      if (r >= 0)
        t[r] = now_us() - start;
    }
    report("matmul", "native", device, n, (int)reps, t, sum(c, n * n));
    return 0;
  }
  fprintf(stderr, "bench_native: unknown mode '%s'\n", mode);
  return 2;
}

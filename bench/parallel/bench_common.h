// Shared by the Wasm guest and the native OpenMP program: data set-up, timing and the RESULT line,
// so both measure exactly the same thing.
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, compare_doubles);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void report(const char *bench, const char *variant, const char *device, long size, int reps,
                   double *times_us, double checksum) {
  double lo = times_us[0];
  for (int r = 1; r < reps; r++)
    if (times_us[r] < lo)
      lo = times_us[r];
  double med = median(times_us, reps);
  printf("RESULT bench=%s variant=%s device=%s size=%ld reps=%d median_us=%.3f min_us=%.3f "
         "checksum=%.10g\n",
         bench, variant, device, size, reps, med, lo, checksum);
}

static void nstream_init(double *a, double *b, double *c, long n) {
  for (long i = 0; i < n; i++) {
    a[i] = 0;
    b[i] = 2;
    c[i] = 2;
  }
}

static void matmul_init(double *a, double *b, long n) {
  for (long i = 0; i < n; i++)
    for (long j = 0; j < n; j++) {
      a[i * n + j] = (double)((i + 2 * j) % 7) - 3;
      b[i * n + j] = (double)((3 * i + j) % 5) - 2;
    }
}

static double sum(const double *v, long n) {
  double s = 0;
  for (long i = 0; i < n; i++)
    s += v[i];
  return s;
}

#endif

// Driver side of the PRK kernels: argument parsing, timing, allocation and the RESULT line.
//
// Every driver <kernel>.c is built three ways from the same source:
//   -DPRK_WP  + the SDK          wasm32-wasi guest calling wasi-parallel          variant=wp
//   -fopenmp  (gcc -O3, native)  OpenMP `parallel for` over the same loop bodies  variant=omp
//   neither   (wasm32-wasi)      single thread, for node and parawasm             variant=seq
// The loop bodies live in <kernel>.h, which the wasi-parallel kernel modules include as well.
//
// Command line: prk_<kernel>_<variant> [small|medium|large|SIZE] [ITERATIONS] [DEVICE] [BLOCK]
//   DEVICE (wp only): 0-3 or sequential|cpu|gpu|igpu (default cpu); BLOCK: parallel_exec's
//   block_size (default per kernel). The others accept and ignore them.
// Output: human-readable lines, then exactly one line
//   RESULT kernel=K variant=V size=S <params> iters=N seconds=T avg=T/N rate=R unit=U
//          threads=P device=D checksum=C valid=0|1
// where seconds covers iterations 1..N (iteration 0 is a warm-up, as in the PRK), threads is
// OpenMP's thread count (1 for seq, 0 for wp: the device decides) and device is the wp hint
// (host otherwise). The exit status is 0 when the result validates.
#ifndef PRK_COMMON_H
#define PRK_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef _OPENMP
#include <omp.h>
#define PRK_PARALLEL_FOR _Pragma("omp parallel for schedule(static)")
#else
#define PRK_PARALLEL_FOR
#endif

#if defined(PRK_WP)
#include <wasi_parallel.h>
#define PRK_VARIANT "wp"
#elif defined(_OPENMP)
#define PRK_VARIANT "omp"
#else
#define PRK_VARIANT "seq"
#endif

typedef struct PrkPreset {
  const char *name;
  int64_t size;
  int iters;
} PrkPreset;

typedef struct PrkArgs {
  const char *preset; // "small", "medium", "large" or "custom"
  int64_t size;
  int iters;
  int hint; // a wp_device_kind_t
  const char *hintName;
  uint32_t block; // parallel_exec's block_size
} PrkArgs;

static inline void prkUsage(const char *kernel, const char *sizeMeaning,
                            const PrkPreset presets[3]) {
  fprintf(stderr,
          "usage: prk_%s [small|medium|large|SIZE] [ITERATIONS] [DEVICE] [BLOCK]\n"
          "  SIZE: %s; presets: %s=%lld, %s=%lld, %s=%lld\n"
          "  DEVICE (wp only): 0-3, sequential, cpu, gpu or igpu\n",
          kernel, sizeMeaning, presets[0].name, (long long)presets[0].size, presets[1].name,
          (long long)presets[1].size, presets[2].name, (long long)presets[2].size);
  exit(2);
}

static inline int prkParseInt(const char *text, int64_t *out) {
  char *end;
  long long v = strtoll(text, &end, 10);
  if (*text == 0 || *end != 0 || v <= 0)
    return 0;
  *out = v;
  return 1;
}

// presets[0] is the default. defaultBlock is the block_size the wp variant passes by default.
static inline PrkArgs prkParseArgs(int argc, char **argv, const char *kernel,
                                   const char *sizeMeaning, const PrkPreset presets[3],
                                   uint32_t defaultBlock) {
  PrkArgs a = {presets[0].name, presets[0].size, presets[0].iters, 1, "cpu", defaultBlock};
  int64_t v;
  if (argc > 5)
    prkUsage(kernel, sizeMeaning, presets);
  if (argc > 1) {
    int found = 0;
    for (int i = 0; i < 3; i++)
      if (strcmp(argv[1], presets[i].name) == 0) {
        a.preset = presets[i].name, a.size = presets[i].size, a.iters = presets[i].iters;
        found = 1;
      }
    if (!found) {
      if (!prkParseInt(argv[1], &v))
        prkUsage(kernel, sizeMeaning, presets);
      a.preset = "custom", a.size = v;
    }
  }
  if (argc > 2) {
    if (!prkParseInt(argv[2], &v) || v > 1000000)
      prkUsage(kernel, sizeMeaning, presets);
    a.iters = (int)v;
  }
  if (argc > 3) {
#ifdef PRK_WP
    wp_device_kind_t kind;
    if (!wp_parse_device_kind(argv[3], &kind))
      prkUsage(kernel, sizeMeaning, presets);
    a.hint = kind;
    a.hintName = wp_device_kind_name(kind);
#endif
  }
  if (argc > 4) {
    if (!prkParseInt(argv[4], &v) || v > 0x7fffffff)
      prkUsage(kernel, sizeMeaning, presets);
    a.block = (uint32_t)v;
  }
  return a;
}

static inline double prkWtime(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

// 64-byte aligned, never null (stops the program instead).
static inline void *prkAlloc(size_t bytes) {
  size_t rounded = (bytes + 63) / 64 * 64;
  void *p = aligned_alloc(64, rounded ? rounded : 64);
  if (!p) {
    fprintf(stderr, "prk: cannot allocate %zu bytes\n", bytes);
    exit(3);
  }
  return p;
}

static inline int prkThreads(void) {
#if defined(PRK_WP)
  return 0;
#elif defined(_OPENMP)
  return omp_get_max_threads();
#else
  return 1;
#endif
}

// Checks that a size fits the kernels' int32 index arithmetic; stops the program otherwise.
static inline int32_t prkCheckedSize(int64_t size, int64_t max, const char *what) {
  if (size < 1 || size > max) {
    fprintf(stderr, "prk: %s must be between 1 and %lld\n", what, (long long)max);
    exit(2);
  }
  return (int32_t)size;
}

#ifdef PRK_WP
static inline wp_device_t prkDevice(const PrkArgs *a) {
  return wp_device((wp_device_kind_t)a->hint);
}
#endif

// params: the kernel's own size parameters, e.g. "order=1024".
static inline void prkReport(const PrkArgs *a, const char *kernel, const char *params,
                             double seconds, double rate, const char *unit, double checksum,
                             int valid) {
  printf("%s\n", valid ? "Solution validates" : "ERROR: solution does not validate");
  printf("RESULT kernel=%s variant=%s size=%s %s iters=%d seconds=%.6f avg=%.6e rate=%.3f "
         "unit=%s threads=%d device=%s checksum=%.17g valid=%d\n",
         kernel, PRK_VARIANT, a->preset, params, a->iters, seconds, seconds / a->iters, rate, unit,
         prkThreads(),
#ifdef PRK_WP
         a->hintName,
#else
         "host",
#endif
         checksum, valid);
}

#endif // PRK_COMMON_H

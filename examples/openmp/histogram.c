// A histogram of a pseudo-random sequence, three ways: per-thread histograms merged under
// `critical`, `atomic` increments, and a dynamically scheduled loop with uneven work per
// iteration. All three must agree with the serial count.
//   sdk/bin/wp-cc -O2 -fopenmp examples/openmp/histogram.c -o histogram.wasm
//   parawasm run --env OMP_NUM_THREADS=4 histogram.wasm
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 4000000
#define BINS 64

static uint32_t value(uint32_t i) { // a stateless generator, so every thread can compute any i
  uint32_t x = i * 2654435761u + 0x9e3779b9u;
  x ^= x >> 15;
  x *= 0x85ebca6bu;
  x ^= x >> 13;
  return x;
}

int main(void) {
  static long serial[BINS], merged[BINS], atomic[BINS];
  for (uint32_t i = 0; i < N; i++)
    serial[value(i) % BINS]++;

#pragma omp parallel
  {
    long local[BINS] = {0};
#pragma omp for schedule(static) nowait
    for (uint32_t i = 0; i < N; i++)
      local[value(i) % BINS]++;
#pragma omp critical
    for (int b = 0; b < BINS; b++)
      merged[b] += local[b];
  }

#pragma omp parallel for schedule(dynamic, 4096)
  for (uint32_t i = 0; i < N; i++) {
#pragma omp atomic
    atomic[value(i) % BINS]++;
  }

  // Uneven work: iteration i costs i % 1000 steps; dynamic scheduling balances it.
  long work = 0;
#pragma omp parallel for schedule(dynamic, 16) reduction(+ : work)
  for (int i = 0; i < 20000; i++) {
    uint32_t h = (uint32_t)i;
    for (int k = 0; k < i % 1000; k++)
      h = value(h);
    work += h % 7;
  }
  long expectWork = 0;
  for (int i = 0; i < 20000; i++) {
    uint32_t h = (uint32_t)i;
    for (int k = 0; k < i % 1000; k++)
      h = value(h);
    expectWork += h % 7;
  }

  int errors = memcmp(serial, merged, sizeof serial) != 0;
  errors += memcmp(serial, atomic, sizeof serial) != 0;
  errors += work != expectWork;
  long fullest = 0;
  for (int b = 0; b < BINS; b++)
    fullest = serial[b] > fullest ? serial[b] : fullest;
  printf("histogram: n=%d bins=%d fullest=%ld work=%ld errors=%d\n", N, BINS, fullest, work,
         errors);
  return errors != 0;
}

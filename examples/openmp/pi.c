// pi by the midpoint rule, the classic first OpenMP program: a parallel for with a reduction.
//   sdk/bin/wp-cc -O2 -fopenmp examples/openmp/pi.c -o pi.wasm
//   parawasm run --env OMP_NUM_THREADS=4 pi.wasm [STEPS]
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  long steps = argc > 1 ? atol(argv[1]) : 20000000;
  double step = 1.0 / (double)steps, sum = 0.0;
  double start = omp_get_wtime();
#pragma omp parallel for reduction(+ : sum)
  for (long i = 0; i < steps; i++) {
    double x = (i + 0.5) * step;
    sum += 4.0 / (1.0 + x * x);
  }
  double seconds = omp_get_wtime() - start;
  fprintf(stderr, "pi: %d threads, %.3f s\n", omp_get_max_threads(), seconds);
  printf("pi: steps=%ld pi=%.8f\n", steps, sum * step);
  return 0;
}

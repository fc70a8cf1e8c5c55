// Fork/join cost of OpenMP: the time of an empty `parallel` region, of a `barrier` and of an
// empty `parallel for` over one iteration per thread, each the median of many samples, every
// sample the mean of a batch of back-to-back repetitions. Built natively (gcc -fopenmp, libgomp)
// and for parawasm (wp-cc -fopenmp) from this one source; bench/run compares the two.
//   forkjoin [SAMPLES] [BATCH]
// Output: one line
//   FORKJOIN threads=T parallel_us=P barrier_us=B parallel_for_us=F samples=S batch=N
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

static int compareDoubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, compareDoubles);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int main(int argc, char **argv) {
  int samples = argc > 1 ? atoi(argv[1]) : 201;
  int batch = argc > 2 ? atoi(argv[2]) : 50;
  if (samples < 1 || batch < 1) {
    fprintf(stderr, "usage: forkjoin [SAMPLES] [BATCH]\n");
    return 2;
  }
  double *t = malloc(sizeof(double) * (size_t)samples);
  int threads = 0;
  volatile int sink = 0;

  // Warm-up: the first region creates the team (threads, stacks, instances).
  for (int i = 0; i < 100; i++) {
#pragma omp parallel
    {
      if (omp_get_thread_num() == 0)
        threads = omp_get_num_threads();
    }
  }

  for (int s = 0; s < samples; s++) {
    double start = omp_get_wtime();
    for (int r = 0; r < batch; r++) {
#pragma omp parallel
      {
        __asm__ __volatile__(""); // an empty region gcc would drop
      }
    }
    t[s] = (omp_get_wtime() - start) / batch;
  }
  double parallelUs = 1e6 * median(t, samples);

  // Barriers inside one region: each sample times a batch of barriers on the primary thread.
#pragma omp parallel
  {
    for (int s = 0; s < samples; s++) {
#pragma omp barrier
      double start = omp_get_wtime();
      for (int r = 0; r < batch; r++) {
#pragma omp barrier
      }
      if (omp_get_thread_num() == 0)
        t[s] = (omp_get_wtime() - start) / batch;
    }
  }
  double barrierUs = 1e6 * median(t, samples);

  for (int s = 0; s < samples; s++) {
    double start = omp_get_wtime();
    for (int r = 0; r < batch; r++) {
#pragma omp parallel for schedule(static)
      for (int i = 0; i < threads; i++)
        sink = i;
    }
    t[s] = (omp_get_wtime() - start) / batch;
  }
  double forUs = 1e6 * median(t, samples);
  (void)sink;

  printf("FORKJOIN threads=%d parallel_us=%.3f barrier_us=%.3f parallel_for_us=%.3f samples=%d "
         "batch=%d\n",
         threads, parallelUs, barrierUs, forUs, samples, batch);
  free(t);
  return 0;
}

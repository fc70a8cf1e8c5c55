// `ordered`: the ordered blocks of a loop run in iteration order, whatever the schedule, also when
// some iterations skip theirs.
#include "check.h"

#define N 300

static int trace[N], count;

static void check(const char *what, int expected) {
  int bad = count != expected;
  for (int k = 1; k < count; k++)
    bad += trace[k] <= trace[k - 1];
  CHECK(bad == 0, "%s: %d of %d ordered blocks out of order", what, bad, count);
  count = 0;
}

int main(void) {
#pragma omp parallel for ordered schedule(dynamic, 1)
  for (int i = 0; i < N; i++) {
#pragma omp ordered
    trace[count++] = i;
  }
  check("dynamic,1", N);
#pragma omp parallel for ordered schedule(static)
  for (int i = 0; i < N; i++) {
#pragma omp ordered
    trace[count++] = i;
  }
  check("static", N);
#pragma omp parallel for ordered schedule(static, 4)
  for (int i = 0; i < N; i++) {
#pragma omp ordered
    trace[count++] = i;
  }
  check("static,4", N);
#pragma omp parallel for ordered schedule(guided)
  for (int i = N - 1; i >= 0; i--) {
#pragma omp ordered
    trace[count++] = N - i;
  }
  check("guided, downwards", N);
  // Odd iterations skip their ordered block.
#pragma omp parallel for ordered schedule(dynamic, 3)
  for (int i = 0; i < N; i++) {
    if (i % 2 == 0) {
#pragma omp ordered
      trace[count++] = i;
    }
  }
  check("every other iteration", N / 2);
  // Ordered loops inside one region, one after another.
#pragma omp parallel
  for (int r = 0; r < 12; r++) {
#pragma omp for ordered schedule(dynamic)
    for (int i = 0; i < 20; i++) {
#pragma omp ordered
      trace[count++] = r * 20 + i;
    }
  }
  check("12 loops", 240);
  return finish("ordered");
}

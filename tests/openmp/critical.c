// `critical`: unnamed and named sections exclude each other per name, and nest with other names.
#include "check.h"

int main(void) {
  long a = 0, b = 0, c = 0;
  int inside = 0, overlap = 0;
#pragma omp parallel for schedule(dynamic, 1)
  for (int i = 0; i < 2000; i++) {
#pragma omp critical
    {
      a += i;
      if (__atomic_fetch_add(&inside, 1, __ATOMIC_RELAXED) != 0)
        overlap++;
      __atomic_fetch_sub(&inside, 1, __ATOMIC_RELAXED);
    }
#pragma omp critical(second)
    {
      b += 2;
#pragma omp critical(third)
      c += 3;
    }
  }
  CHECK(a == 2000L * 1999 / 2, "unnamed critical sum %ld", a);
  CHECK(b == 4000 && c == 6000, "named critical sums %ld %ld", b, c);
  CHECK(overlap == 0, "%d threads were inside the critical section together", overlap);

  // A non-atomic read-modify-write of a double is safe under critical.
  double d = 0.0;
#pragma omp parallel
  for (int i = 0; i < 500; i++) {
#pragma omp critical(dbl)
    d += 1.0;
  }
  int team = 0;
#pragma omp parallel
#pragma omp master
  team = omp_get_num_threads();
  CHECK(d == 500.0 * team, "critical double sum %f for %d threads", d, team);
  return finish("critical");
}

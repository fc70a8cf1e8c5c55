// `barrier`: no thread starts phase k + 1 before every thread has finished phase k.
#include "check.h"

#define PHASES 200

int main(void) {
  static int value[256];
  int errors = 0, team = 0;
#pragma omp parallel
  {
    int me = omp_get_thread_num(), n = omp_get_num_threads();
    if (me == 0)
      team = n;
    for (int phase = 1; phase <= PHASES; phase++) {
      __atomic_store_n(&value[me], phase, __ATOMIC_RELAXED);
#pragma omp barrier
      for (int t = 0; t < n; t++)
        if (__atomic_load_n(&value[t], __ATOMIC_RELAXED) != phase)
          __atomic_fetch_add(&errors, 1, __ATOMIC_RELAXED);
#pragma omp barrier
    }
  }
  CHECK(defaultTeamOk(team), "team of %d", team);
  CHECK(errors == 0, "%d reads saw a value from another phase", errors);

  // The implicit barrier at the end of a `for` (without nowait) as well.
  static int stage[1000];
  int late = 0;
#pragma omp parallel
  {
#pragma omp for schedule(dynamic, 1)
    for (int i = 0; i < 1000; i++)
      stage[i] = 1;
#pragma omp for schedule(static)
    for (int i = 0; i < 1000; i++)
      if (stage[999 - i] != 1)
        __atomic_fetch_add(&late, 1, __ATOMIC_RELAXED);
  }
  CHECK(late == 0, "%d iterations of the second loop ran before the first loop finished", late);
  return finish("barrier");
}

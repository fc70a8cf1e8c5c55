// `threadprivate` and `copyin`: each thread has its own copy, which keeps its value from one
// region to the next; copyin gives every copy the primary thread's value.
#include "check.h"

static int counter = 5;
static double scale[4] = {1, 2, 3, 4};
#pragma omp threadprivate(counter, scale)

int main(void) {
  int bad = 0, team = 0;
#pragma omp parallel
  {
    counter = 100 + omp_get_thread_num();
    scale[3] = omp_get_thread_num();
#pragma omp master
    team = omp_get_num_threads();
  }
#pragma omp parallel reduction(+ : bad)
  {
    bad += counter != 100 + omp_get_thread_num();
    bad += scale[3] != omp_get_thread_num() || scale[0] != 1;
  }
  CHECK(bad == 0, "%d threads lost their threadprivate values between regions", bad);
  CHECK(counter == 100 && scale[3] == 0, "the primary thread's copy: %d %f", counter, scale[3]);
  counter = 42;
#pragma omp parallel copyin(counter) reduction(+ : bad)
  bad += counter != 42;
  CHECK(bad == 0, "%d threads did not get the copyin value", bad);
  CHECK(defaultTeamOk(team), "team of %d", team);
  return finish("threadprivate");
}

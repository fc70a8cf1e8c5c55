// `master` and `masked`: only thread 0 (or the filter's thread) runs the block, without a
// barrier.
#include "check.h"

int main(void) {
  int runs = 0, who = -1, maskedRuns = 0, maskedWho = -1, team = 0;
#pragma omp parallel
  {
#pragma omp master
    {
      runs++;
      who = omp_get_thread_num();
      team = omp_get_num_threads();
    }
#pragma omp masked filter(1)
    {
      maskedRuns++;
      maskedWho = omp_get_thread_num();
    }
  }
  CHECK(runs == 1 && who == 0, "master ran %d times, on thread %d", runs, who);
  CHECK(maskedRuns == (team > 1) && (team == 1 || maskedWho == 1),
        "masked filter(1) ran %d times on thread %d", maskedRuns, maskedWho);
  return finish("master");
}

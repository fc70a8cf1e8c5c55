// `single`: one thread runs each single block; copyprivate broadcasts its values; nowait singles
// in a row are each taken once.
#include "check.h"

int main(void) {
  int runs = 0, nowaitRuns = 0, wrong = 0, team = 0;
#pragma omp parallel
  {
#pragma omp single
    {
      runs++;
      team = omp_get_num_threads();
    }
    // The single's barrier: everyone sees its effect.
    if (runs != 1)
      __atomic_fetch_add(&wrong, 1, __ATOMIC_RELAXED);
    for (int k = 0; k < 50; k++) {
#pragma omp single nowait
      __atomic_fetch_add(&nowaitRuns, 1, __ATOMIC_RELAXED);
    }
    int seed, other;
#pragma omp single copyprivate(seed, other)
    {
      seed = 1234;
      other = 99;
    }
    if (seed != 1234 || other != 99)
      __atomic_fetch_add(&wrong, 1, __ATOMIC_RELAXED);
  }
  CHECK(runs == 1, "single ran %d times", runs);
  CHECK(nowaitRuns == 50, "50 single nowait blocks ran %d times", nowaitRuns);
  CHECK(wrong == 0, "%d threads saw a wrong value after single/copyprivate", wrong);
  CHECK(defaultTeamOk(team), "team of %d", team);
  return finish("single");
}
